//! Sending a file to the server's plain routes (imports): the file as the request body, the
//! answer as JSON or a download, and following an import job until it ends.

#![cfg(feature = "hydrate")]

use kehu_domain::error::AppError;
use kehu_domain::insight::orders::{ImportProgress, ImportStatus};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{error_text, problem_text, Lang};

/// The server's error as the person reads it: a problem with the file (or the mapping) in
/// its own words, anything else as every page says it.
pub fn said(error: &AppError, lang: Lang) -> String {
    for field in ["file", "rows", "mapping", "keys", "default_owner"] {
        if let Some(problem) = error.field_problems(field).first() {
            return problem_text(problem, lang);
        }
    }
    error_text(error, lang)
}

fn post_init(body: Option<&web_sys::Blob>) -> web_sys::RequestInit {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    if let Some(body) = body {
        init.set_body(body);
    }
    init
}

async fn send(url: &str, init: &web_sys::RequestInit, lang: Lang) -> Result<web_sys::Response, String> {
    let request = web_sys::Request::new_with_str_and_init(url, init).map_err(|_| "request".to_string())?;
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| crate::i18n::Msg::ErrTransport.text(lang).to_string())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "response".to_string())?;
    if response.ok() {
        return Ok(response);
    }
    let text = text_of(&response).await?;
    match serde_json::from_str::<AppError>(&text) {
        Ok(e) => Err(said(&e, lang)),
        Err(_) => Err(format!("{}: {text}", response.status())),
    }
}

async fn text_of(response: &web_sys::Response) -> Result<String, String> {
    let text = JsFuture::from(response.text().map_err(|_| "body".to_string())?).await.map_err(|_| "body".to_string())?;
    Ok(text.as_string().unwrap_or_default())
}

async fn json<T: serde::de::DeserializeOwned>(url: &str, init: &web_sys::RequestInit, lang: Lang) -> Result<T, String> {
    let response = send(url, init, lang).await?;
    serde_json::from_str(&text_of(&response).await?).map_err(|e| e.to_string())
}

/// POSTs the file and reads the JSON answer.
pub async fn post_file<T: serde::de::DeserializeOwned>(url: &str, file: &web_sys::Blob, lang: Lang) -> Result<T, String> {
    json(url, &post_init(Some(file)), lang).await
}

/// POSTs the file and saves the answer as a download named by the server.
pub async fn download(url: &str, file: &web_sys::Blob, fallback_name: &str, lang: Lang) -> Result<(), String> {
    let response = send(url, &post_init(Some(file)), lang).await?;
    let name = response
        .headers()
        .get("content-disposition")
        .ok()
        .flatten()
        .and_then(|d| d.split("filename=\"").nth(1).map(|n| n.trim_end_matches('"').to_string()))
        .unwrap_or_else(|| fallback_name.to_string());
    let blob: web_sys::Blob = JsFuture::from(response.blob().map_err(|_| "body".to_string())?)
        .await
        .map_err(|_| "body".to_string())?
        .dyn_into()
        .map_err(|_| "body".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "download".to_string())?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|_| "download".to_string())?.dyn_into().map_err(|_| "download".to_string())?;
    link.set_href(&url);
    link.set_download(&name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Starts an import job with the file and follows it until it ends, telling `progress` on
/// the way: its final status (done, for orders or customers). A lost answer (a network blip,
/// a restarting server still loading) is asked again for about a minute and a half; a job
/// whose server stopped, or a longer silence, ends the wait with `lost`, what to do then.
pub async fn run_job(start_url: &str, status_base: &str, file: &web_sys::Blob, progress: impl Fn(ImportProgress), lost: &str, lang: Lang) -> Result<ImportStatus, String> {
    #[derive(serde::Deserialize)]
    struct Started {
        job: String,
    }
    let started: Started = post_file(start_url, file, lang).await?;
    let status_url = format!("{status_base}/{}", started.job);
    let mut unanswered = 0;
    loop {
        gloo_timers::future::TimeoutFuture::new(700).await;
        let status = match json::<ImportStatus>(&status_url, &web_sys::RequestInit::new(), lang).await {
            Ok(status) => status,
            Err(_) if unanswered < 120 => {
                unanswered += 1;
                continue;
            }
            Err(e) => return Err(format!("{e} — {lost}")),
        };
        unanswered = 0;
        match status {
            ImportStatus::Waiting => {}
            ImportStatus::Running(p) => progress(p),
            ImportStatus::Failed { error } => return Err(said(&error, lang)),
            ImportStatus::Interrupted(_) => return Err(lost.to_string()),
            done => return Ok(done),
        }
    }
}
