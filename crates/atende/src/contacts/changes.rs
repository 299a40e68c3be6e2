//! Validation of a contact's own fields, shared by the API (create/patch) and CSV import
//! rows. Each problem carries a stable code (what the web translates) and an English
//! detail (what the API's `details` lists).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{
    model::{CreateContact, LeadStatus, UpdateContact},
    phone::{E164, PhoneError},
};
use crate::error::{AppError, AppResult};

/// Largest custom-attributes object, serialised.
pub const MAX_ATTRIBUTES_BYTES: usize = 64 * 1024;

/// One problem with one field: a stable code and an English detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub detail: String,
}

impl Problem {
    pub fn new(code: &'static str, detail: impl Into<String>) -> Self {
        Problem { code, detail: detail.into() }
    }
}

/// Trims and lowercases an email and checks its shape.
pub fn normalize_email(input: &str) -> Result<String, Problem> {
    let email = input.trim().to_lowercase();
    // 200, not RFC 5321's 254: the email is also an identity, whose value column is 200 wide.
    if email.chars().count() > 200 {
        return Err(Problem::new("too_long", "must be at most 200 characters"));
    }
    garde::rules::email::parse_email(&email)
        .map_err(|e| Problem::new("invalid_email", format!("not a valid email: {e}")))?;
    Ok(email)
}

/// Checks that custom attributes are an object with sensible keys.
pub fn attributes_object(value: Value) -> Result<Map<String, Value>, Problem> {
    let Value::Object(map) = value else { return Err(Problem::new("not_an_object", "must be a JSON object")) };
    if let Some(key) = map.keys().find(|k| k.trim().is_empty() || k.chars().count() > 100) {
        return Err(Problem::new("invalid_attribute_key", format!("key {key:?} must have 1-100 characters")));
    }
    Ok(map)
}

/// Applies a patch to custom attributes: keys set, `null` values removed.
pub fn merge_attributes(current: Option<&Value>, patch: Map<String, Value>) -> Map<String, Value> {
    let mut merged = match current {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    for (key, value) in patch {
        if value.is_null() {
            merged.remove(&key);
        } else {
            merged.insert(key, value);
        }
    }
    merged
}

/// A validated change to a contact's own fields (API create/patch and CSV rows).
#[derive(Debug, Default)]
pub struct Changes {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<E164>>,
    pub lead_status: Option<LeadStatus>,
    /// `Some(None)` removes all; `Some(Some(patch))` merges (null values remove keys).
    pub attributes: Option<Option<Map<String, Value>>>,
    /// Only used when creating (imports from another system keep their history).
    pub first_seen_at: Option<DateTime<Utc>>,
    pub last_activity_at: Option<DateTime<Utc>>,
}

/// Validation problems of one request or row, collected per field.
#[derive(Debug, Default)]
pub struct FieldErrors(pub Vec<(&'static str, Problem)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, problem: Problem) {
        self.0.push((field, problem));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The API form: 422 with `details: {field: [messages]}` (camelCase fields).
    pub fn into_result(self) -> AppResult<()> {
        let Some((field, problem)) = self.0.first() else { return Ok(()) };
        let summary = format!("{field}: {}", problem.detail);
        let mut details = Map::new();
        for (field, problem) in self.0 {
            if let Some(list) = details.entry(field).or_insert_with(|| Value::Array(Vec::new())).as_array_mut() {
                list.push(Value::String(problem.detail));
            }
        }
        Err(AppError::Validation { message: summary, details: Value::Object(details) })
    }
}

fn phone_problem(error: PhoneError) -> Problem {
    let code = match error {
        PhoneError::Empty | PhoneError::WrongLength => "invalid_phone_length",
        PhoneError::InvalidCharacters => "invalid_phone_characters",
    };
    Problem::new(code, error.to_string())
}

/// Parses an optional phone: blank clears.
pub fn parse_phone(input: &str, errors: &mut FieldErrors, field: &'static str) -> Option<Option<E164>> {
    if input.trim().is_empty() {
        return Some(None);
    }
    match E164::parse(input) {
        Ok(phone) => Some(Some(phone)),
        Err(e) => {
            errors.add(field, phone_problem(e));
            None
        }
    }
}

/// Parses an optional email: blank clears.
pub fn parse_email(input: &str, errors: &mut FieldErrors, field: &'static str) -> Option<Option<String>> {
    if input.trim().is_empty() {
        return Some(None);
    }
    match normalize_email(input) {
        Ok(email) => Some(Some(email)),
        Err(problem) => {
            errors.add(field, problem);
            None
        }
    }
}

pub fn parse_name(input: &str, errors: &mut FieldErrors) -> Option<String> {
    let name = input.trim();
    if name.is_empty() {
        errors.add("name", Problem::new("blank", "must not be blank"));
        None
    } else if name.chars().count() > 200 {
        errors.add("name", Problem::new("too_long", "must be at most 200 characters"));
        None
    } else {
        Some(name.to_string())
    }
}

impl Changes {
    pub fn from_create(input: CreateContact) -> AppResult<Self> {
        let mut errors = FieldErrors::default();
        let mut changes = Changes { name: parse_name(&input.name, &mut errors), ..Changes::default() };
        if let Some(email) = &input.email {
            changes.email = parse_email(email, &mut errors, "email");
        }
        if let Some(phone) = &input.phone {
            changes.phone = parse_phone(phone, &mut errors, "phone");
        }
        changes.lead_status = input.lead_status;
        if let Some(attributes) = input.custom_attributes.filter(|v| !v.is_null()) {
            match attributes_object(attributes) {
                Ok(map) => changes.attributes = Some(Some(map)),
                Err(problem) => errors.add("customAttributes", problem),
            }
        }
        errors.into_result()?;
        Ok(changes)
    }

    pub fn from_patch(input: UpdateContact) -> AppResult<Self> {
        let mut errors = FieldErrors::default();
        let mut changes = Changes::default();
        if let Some(name) = &input.name {
            changes.name = parse_name(name, &mut errors);
        }
        match &input.email {
            Some(Some(email)) => changes.email = parse_email(email, &mut errors, "email"),
            Some(None) => changes.email = Some(None),
            None => {}
        }
        match &input.phone {
            Some(Some(phone)) => changes.phone = parse_phone(phone, &mut errors, "phone"),
            Some(None) => changes.phone = Some(None),
            None => {}
        }
        changes.lead_status = input.lead_status;
        match input.custom_attributes {
            Some(Some(attributes)) => match attributes_object(attributes) {
                Ok(map) => changes.attributes = Some(Some(map)),
                Err(problem) => errors.add("customAttributes", problem),
            },
            Some(None) => changes.attributes = Some(None),
            None => {}
        }
        errors.into_result()?;
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn attribute_patches_merge_and_null_removes() {
        let current = json!({"plan": "pro", "city": "Recife"});
        let patch = attributes_object(json!({"city": null, "vip": true})).unwrap();
        assert_eq!(Value::Object(merge_attributes(Some(&current), patch)), json!({"plan": "pro", "vip": true}));
        assert_eq!(attributes_object(json!([1, 2])).unwrap_err().code, "not_an_object");
        assert_eq!(attributes_object(json!({" ": 1})).unwrap_err().code, "invalid_attribute_key");
    }

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(normalize_email("  Ana@Example.COM ").as_deref(), Ok("ana@example.com"));
        assert_eq!(normalize_email("ana@").unwrap_err().code, "invalid_email");
        assert_eq!(normalize_email("not an email").unwrap_err().code, "invalid_email");
        assert_eq!(normalize_email(&format!("{}@x.co", "a".repeat(200))).unwrap_err().code, "too_long");
    }
}
