//! The contact ↔ Asaas customer mapping: the payer's CPF/CNPJ, the mobile phone in
//! Asaas' form, and finding or creating the customer once per contact and environment.

use providers::asaas::{AsaasClient, Document, NewCustomer, validate_cpf_cnpj};

use super::{errors::asaas_error, model::Environment, store};
use crate::{
    contacts::entity::contact,
    error::{AppError, AppResult},
    state::AppState,
    tenancy::Scope,
};

/// A CPF/CNPJ from the request, else from the contact's `cpfCnpj` custom attribute.
pub(super) fn document_from(input: Option<&str>, contact: &contact::Model) -> AppResult<Option<Document>> {
    let from_contact = contact
        .custom_attributes
        .as_ref()
        .and_then(|a| a.get("cpfCnpj").or_else(|| a.get("cpf_cnpj")))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let (text, field) = match (input.map(str::trim).filter(|s| !s.is_empty()), from_contact) {
        (Some(t), _) => (t.to_string(), "cpfCnpj"),
        (None, Some(t)) => (t, "contact.customAttributes.cpfCnpj"),
        (None, None) => return Ok(None),
    };
    validate_cpf_cnpj(&text).map(Some).map_err(|e| AppError::field(field, format!("is not a valid CPF or CNPJ ({e})")))
}

/// Brazilian mobile in Asaas' form (area code + number) from an E.164 phone.
fn asaas_mobile(phone: Option<&str>) -> Option<String> {
    let digits: String = phone?.chars().filter(char::is_ascii_digit).collect();
    let national = digits.strip_prefix("55")?;
    (10..=11).contains(&national.len()).then(|| national.to_string())
}

/// The contact's Asaas customer id: the stored mapping, else search by CPF/CNPJ, else
/// create (Asaas allows duplicates, hence the search).
pub(super) async fn ensure_customer(
    state: &AppState,
    scope: &Scope,
    client: &AsaasClient,
    environment: Environment,
    contact: &contact::Model,
    document: Option<Document>,
) -> AppResult<String> {
    let env = environment.as_str();
    if let Some(existing) = store::customer_for_contact(&state.db, scope, env, contact.id).await? {
        return Ok(existing.asaas_customer_id);
    }
    let document = document.ok_or_else(|| {
        AppError::field("cpfCnpj", "is required the first time a contact is charged (CPF or CNPJ of the payer)")
    })?;
    let customer = match client.find_customer_by_cpf_cnpj(&document).await.map_err(asaas_error)? {
        Some(found) => found,
        None => {
            let name = contact.name.trim();
            let mut new = NewCustomer::new(if name.is_empty() { "Cliente" } else { name }, &document);
            new.email = contact.email.clone();
            new.mobile_phone = asaas_mobile(contact.phone.as_deref());
            new.external_reference = Some(contact.id.to_string());
            client.create_customer(&new).await.map_err(asaas_error)?
        }
    };
    match store::customer_insert(&state.db, scope, env, contact.id, &customer.id, document.as_str()).await? {
        Some(row) => Ok(row.asaas_customer_id),
        // Another request mapped this contact meanwhile: use theirs.
        None => store::customer_for_contact(&state.db, scope, env, contact.id)
            .await?
            .map(|row| row.asaas_customer_id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("customer mapping vanished"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_phones_lose_the_country_code() {
        assert_eq!(asaas_mobile(Some("+5511987654321")).as_deref(), Some("11987654321"));
        assert_eq!(asaas_mobile(Some("+14155550100")), None);
        assert_eq!(asaas_mobile(None), None);
    }
}
