//! Sends a form with XMLHttpRequest so the page can show how much of a
//! file has gone (fetch reports no upload progress). Without JavaScript
//! the same form simply posts; the server answers both the same way.

/// How a sent form ended.
#[derive(Debug)]
pub enum Sent {
    /// The server answered 200, after any redirect: the final URL.
    Answered(String),
    /// The server refused: its status and its text.
    Refused(u16, String),
    /// The connection broke off or the upload was cancelled.
    Broken,
}

/// The size people read: "850 KB", "12.4 MB".
pub fn size_label(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KB * KB {
        let mb = format!("{:.1}", b / (KB * KB));
        format!("{} MB", mb.strip_suffix(".0").unwrap_or(&mb))
    } else if b >= KB {
        format!("{} KB", (b / KB).ceil())
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(feature = "hydrate")]
pub use browser::send_form;

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{FormData, HtmlFormElement, ProgressEvent, XmlHttpRequest};

    use super::Sent;

    /// Posts `form` to its action. `on_progress` gets the percentage sent;
    /// `on_done` is called once, however the request ends.
    pub fn send_form(
        form: &HtmlFormElement,
        on_progress: impl Fn(u32) + 'static,
        on_done: impl FnOnce(Sent) + 'static,
    ) -> Result<(), String> {
        let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
        let data = FormData::new_with_form(form).map_err(fail)?;
        let xhr = XmlHttpRequest::new().map_err(fail)?;
        xhr.open("POST", &form.action()).map_err(fail)?;

        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                let pct = (e.loaded() / e.total() * 100.0).round().clamp(0.0, 100.0);
                on_progress(pct as u32);
            }
        });
        xhr.upload()
            .map_err(fail)?
            .set_onprogress(Some(progress.as_ref().unchecked_ref()));

        let done = Rc::new(RefCell::new(Some(on_done)));
        let answered = {
            let done = done.clone();
            let xhr = xhr.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Some(f) = done.borrow_mut().take() {
                    let status = xhr.status().unwrap_or(0);
                    if status == 200 {
                        f(Sent::Answered(xhr.response_url()));
                    } else {
                        let text = xhr.response_text().ok().flatten().unwrap_or_default();
                        f(Sent::Refused(status, text));
                    }
                }
            })
        };
        let broken = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = done.borrow_mut().take() {
                f(Sent::Broken);
            }
        });
        xhr.set_onload(Some(answered.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(broken.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(broken.as_ref().unchecked_ref()));
        xhr.send_with_opt_form_data(Some(&data)).map_err(fail)?;
        // The request holds these until it ends; one small leak per upload
        // is simpler than tying their lifetime to the request's.
        progress.forget();
        answered.forget();
        broken.forget();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_label(512), "512 bytes");
        assert_eq!(size_label(1500), "2 KB");
        assert_eq!(size_label(10 * 1024 * 1024), "10 MB");
        assert_eq!(size_label(13_002_342), "12.4 MB");
    }
}
