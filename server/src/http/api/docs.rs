//! The API's readable reference at `/api/v1/docs`: one HTML page made on the server from the
//! same OpenAPI document programs read (so the two never disagree), with the site's own
//! stylesheet and no script — nothing fetched from elsewhere.

use std::fmt::Write;

use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use kehu_backend::files::markup::escape;
use serde_json::Value;

pub const DOCS_PATH: &str = "/api/v1/docs";
/// The site's stylesheet (cargo-leptos's output name).
const STYLESHEET: &str = "/pkg/kehu.css";
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A schema's name from its `$ref`, or its type written out (`array of Deal`).
fn type_of(schema: &Value) -> String {
    if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
        return name.rsplit('/').next().unwrap_or(name).to_string();
    }
    if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        return options.iter().map(type_of).filter(|t| t != "null").collect::<Vec<_>>().join(" | ");
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        return choices.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | ");
    }
    let kind = match schema.get("type") {
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).filter(|k| *k != "null").collect::<Vec<_>>().join(" | "),
        Some(Value::String(kind)) => kind.clone(),
        _ => "object".into(),
    };
    match (kind.as_str(), schema.get("items")) {
        ("array", Some(items)) => format!("array of {}", type_of(items)),
        _ => match schema.get("format").and_then(Value::as_str) {
            Some(format) => format!("{kind} ({format})"),
            None => kind,
        },
    }
}

fn anchor(name: &str) -> String {
    format!("schema-{}", name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect::<String>())
}

/// A type, linked to its schema when it is one.
fn linked(schema: &Value) -> String {
    let name = type_of(schema);
    match schema.get("$ref").or_else(|| schema.get("items").and_then(|i| i.get("$ref"))) {
        Some(_) => {
            let target = name.trim_start_matches("array of ");
            format!("<a href=\"#{}\">{}</a>", anchor(target), escape(&name))
        }
        None => escape(&name),
    }
}

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let _ = write!(out, "<section class=\"api-op\"><h3><span class=\"api-method {method}\">{}</span> <code>{}</code></h3>", method.to_uppercase(), escape(path));
    for key in ["summary", "description"] {
        if !text(op, key).is_empty() {
            let _ = write!(out, "<p>{}</p>", escape(text(op, key)));
        }
    }
    if let Some(scopes) = op.pointer("/security/0/token").and_then(Value::as_array) {
        let scopes: Vec<&str> = scopes.iter().filter_map(Value::as_str).collect();
        let _ = write!(out, "<p class=\"muted\">Token scope: {}</p>", escape(&scopes.join(", ")));
    }
    if let Some(params) = op.get("parameters").and_then(Value::as_array).filter(|p| !p.is_empty()) {
        out.push_str("<table class=\"api-table\"><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>");
        for p in params {
            let required = if p.get("required").and_then(Value::as_bool) == Some(true) { " *" } else { "" };
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{required}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(text(p, "name")),
                escape(text(p, "in")),
                p.get("schema").map(linked).unwrap_or_default(),
                escape(text(p, "description"))
            );
        }
        out.push_str("</tbody></table>");
    }
    if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
        let _ = write!(out, "<p>Body: {}</p>", linked(schema));
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        out.push_str("<ul class=\"api-responses\">");
        for (code, answer) in responses {
            let body = answer.pointer("/content/application~1json/schema").map(|s| format!(" → {}", linked(s))).unwrap_or_default();
            let _ = write!(out, "<li><code>{}</code> {}{body}</li>", escape(code), escape(text(answer, "description")));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
}

fn schema(out: &mut String, name: &str, schema: &Value) {
    let _ = write!(out, "<section class=\"api-schema\" id=\"{}\"><h3>{}</h3>", anchor(name), escape(name));
    if !text(schema, "description").is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(text(schema, "description")));
    }
    let required: Vec<&str> = schema.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    match schema.get("properties").and_then(Value::as_object) {
        Some(properties) => {
            out.push_str("<table class=\"api-table\"><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>");
            for (field, property) in properties {
                let mark = if required.contains(&field.as_str()) { " *" } else { "" };
                let _ = write!(out, "<tr><td><code>{}</code>{mark}</td><td>{}</td><td>{}</td></tr>", escape(field), linked(property), escape(text(property, "description")));
            }
            out.push_str("</tbody></table>");
        }
        None => {
            let _ = write!(out, "<p>{}</p>", escape(&type_of(schema)));
        }
    }
    out.push_str("</section>");
}

/// The reference page of an OpenAPI document.
pub fn page(doc: &Value) -> String {
    let title = doc.pointer("/info/title").and_then(Value::as_str).unwrap_or("API");
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><link rel=\"stylesheet\" href=\"{STYLESHEET}\"></head><body><main class=\"api-docs\"><h1>{t}</h1><p>{d}</p><p><a href=\"{OPENAPI}\">OpenAPI 3.1 (JSON)</a> · <a href=\"/account/tokens\">API tokens / API 令牌</a></p>",
        t = escape(title),
        d = escape(doc.pointer("/info/description").and_then(Value::as_str).unwrap_or("")),
        OPENAPI = super::OPENAPI_PATH,
    );
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        out.push_str("<h2>Endpoints</h2>");
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    operation(&mut out, method, path, op);
                }
            }
        }
    }
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        out.push_str("<h2>Schemas</h2>");
        for (name, s) in schemas {
            schema(&mut out, name, s);
        }
    }
    out.push_str("</main></body></html>");
    out
}

pub async fn docs() -> Response {
    let doc: Value = serde_json::from_str(&super::document()).unwrap_or(Value::Null);
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            // Nothing runs here and nothing comes from elsewhere.
            (CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'"),
            (CACHE_CONTROL, "no-cache"),
        ],
        page(&doc),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_and_schema_of_the_document_is_on_the_page() {
        let doc: Value = serde_json::from_str(&crate::http::api::document()).unwrap();
        let html = page(&doc);
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                assert!(html.contains(&format!("{}</span> <code>{}</code>", method.to_uppercase(), escape(path))), "{method} {path}");
            }
        }
        for name in doc["components"]["schemas"].as_object().unwrap().keys() {
            assert!(html.contains(&format!("id=\"{}\"", anchor(name))), "{name}");
        }
        assert!(html.contains("<a href=\"#schema-ApiDeal\">ApiDeal</a>"), "bodies link to their schema");
        assert!(!html.contains("<script"), "no script on the page");
    }

    #[test]
    fn text_from_the_document_is_escaped() {
        let doc = serde_json::json!({"info": {"title": "<b>x</b>", "description": "a & b"}, "paths": {"/p": {"get": {"summary": "<script>alert(1)</script>", "responses": {}}}}});
        let html = page(&doc);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"));
        assert!(html.contains("<h1>&lt;b&gt;x&lt;/b&gt;</h1>") && html.contains("a &amp; b"));
    }
}
