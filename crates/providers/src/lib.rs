//! Provider wire formats (Twilio, Meta, Z-API, Asaas).
