//! Money and the texts posted into conversations (pt-BR by default, en): amounts in
//! reais, the "payment received" note and the payment link message.

use super::entity::charge;

/// `R$ 1.234,56` (pt-BR) or `R$ 1,234.56` (en).
pub fn format_brl(cents: i64, locale: &str) -> String {
    let (thousands, decimal) = if locale == "en" { (',', '.') } else { ('.', ',') };
    let abs = cents.unsigned_abs();
    let int = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}R$ {grouped}{decimal}{:02}", abs % 100)
}

pub(super) fn paid_text(locale: &str, charge: &charge::Model) -> String {
    let value = format_brl(charge.value_cents, locale);
    if locale == "en" {
        format!("Payment received: {value} (charge {}).", charge.asaas_charge_id)
    } else {
        format!("Pagamento recebido: {value} (cobrança {}).", charge.asaas_charge_id)
    }
}

pub(super) fn link_text(locale: &str, charge: &charge::Model) -> Option<String> {
    let en = locale == "en";
    let value = format_brl(charge.value_cents, locale);
    let due = if en { charge.due_date.format("%Y-%m-%d") } else { charge.due_date.format("%d/%m/%Y") };
    let what = match charge.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("{value} ({d})"),
        None => value,
    };
    let mut text =
        if en { format!("Charge of {what}, due {due}.") } else { format!("Cobrança de {what}, vencimento {due}.") };
    let mut has_way_to_pay = false;
    if let Some(url) = &charge.invoice_url {
        text.push_str(if en { "\nPay here: " } else { "\nPague pelo link: " });
        text.push_str(url);
        has_way_to_pay = true;
    }
    if let Some(pix) = &charge.pix_payload {
        text.push_str(if en { "\n\nPix copy and paste:\n" } else { "\n\nPix copia e cola:\n" });
        text.push_str(pix);
        has_way_to_pay = true;
    }
    has_way_to_pay.then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brl_is_formatted_per_locale() {
        assert_eq!(format_brl(123_456_789, "pt-BR"), "R$ 1.234.567,89");
        assert_eq!(format_brl(123_456_789, "en"), "R$ 1,234,567.89");
        assert_eq!(format_brl(30, "pt-BR"), "R$ 0,30");
        assert_eq!(format_brl(100_000, "pt-BR"), "R$ 1.000,00");
    }
}
