//! Fills a canned response's `{{contact.name}}`-style variables for the composer.

/// Values for the variables a canned response may use; `None` renders as empty.
#[derive(Debug, Default, Clone, Copy)]
pub struct Vars<'a> {
    pub contact_name: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub agent_name: Option<&'a str>,
}

impl<'a> Vars<'a> {
    /// The value of a known variable; `None` for names we do not know.
    fn lookup(&self, name: &str) -> Option<&'a str> {
        let value = match name {
            "contact.name" => self.contact_name,
            "contact.email" => self.contact_email,
            "contact.phone" => self.contact_phone,
            "agent.name" => self.agent_name,
            _ => return None,
        };
        Some(value.unwrap_or_default())
    }
}

/// Replaces `{{contact.name}}`, `{{contact.email}}`, `{{contact.phone}}` and
/// `{{agent.name}}` (spaces inside the braces allowed). Unknown variables and
/// unclosed braces are left as written, so a typo shows rather than vanishes.
pub fn render(content: &str, vars: &Vars<'_>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        match vars.lookup(after[..end].trim()) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars<'static> {
        Vars {
            contact_name: Some("Maria"),
            contact_email: Some("maria@example.com"),
            contact_phone: Some("+5511999990000"),
            agent_name: Some("João"),
        }
    }

    #[test]
    fn known_variables_are_replaced() {
        let text = "Olá {{contact.name}}, aqui é {{ agent.name }}. Confirmo {{contact.email}} e {{contact.phone}}.";
        assert_eq!(render(text, &vars()), "Olá Maria, aqui é João. Confirmo maria@example.com e +5511999990000.");
    }

    #[test]
    fn unknown_variables_and_stray_braces_are_left_as_is() {
        assert_eq!(render("{{contact.cpf}} {{contact.name}}", &vars()), "{{contact.cpf}} Maria");
        assert_eq!(render("open {{contact.name", &vars()), "open {{contact.name");
        assert_eq!(render("{{}} and }} and {", &vars()), "{{}} and }} and {");
        assert_eq!(render("no variables", &vars()), "no variables");
    }

    #[test]
    fn missing_values_render_empty() {
        let vars = Vars { contact_name: Some("Ana"), ..Vars::default() };
        assert_eq!(render("{{contact.name}} <{{contact.email}}>", &vars), "Ana <>");
    }

    #[test]
    fn values_are_not_rendered_again() {
        let vars = Vars { contact_name: Some("{{agent.name}}"), agent_name: Some("X"), ..Vars::default() };
        assert_eq!(render("Hi {{contact.name}}", &vars), "Hi {{agent.name}}");
    }
}
