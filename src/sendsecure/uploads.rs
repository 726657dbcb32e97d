//! Attachments as upload sources, and the answer to an upload (E2).

use crate::sendsecure::model::{Attachment, AttachmentSource};
use crate::transport::error::{Error, Result};
use crate::transport::transfer::{
    bytes_stream, file_stream, reader_stream, ByteStream, UploadSource,
};
use futures_util::future::BoxFuture;

impl UploadSource for Attachment {
    fn file_name(&self) -> &str {
        &self.file_name
    }

    fn content_type(&self) -> &str {
        &self.content_type
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn can_reopen(&self) -> bool {
        self.source.can_reopen()
    }

    fn source_name(&self) -> String {
        match &self.source {
            AttachmentSource::Path(path) => path.display().to_string(),
            _ => self.file_name.clone(),
        }
    }

    fn open(&mut self) -> BoxFuture<'_, Result<ByteStream>> {
        Box::pin(async move {
            Ok(match &mut self.source {
                AttachmentSource::Path(path) => file_stream(path).await?,
                AttachmentSource::Bytes(bytes) => bytes_stream(bytes),
                AttachmentSource::Reader(reader) => {
                    let reader = reader.take().ok_or_else(|| {
                        Error::InvalidState(format!(
                            "attachment `{}`: its stream was already read",
                            self.file_name
                        ))
                    })?;
                    reader_stream(reader)
                }
                AttachmentSource::Reopen(reopen) => {
                    let reader = reopen().await.map_err(|source| Error::Io {
                        path: self.file_name.clone(),
                        source,
                    })?;
                    reader_stream(reader)
                }
            })
        })
    }
}

/// Reads an upload's answer (E2): the GUID of the uploaded document.
pub(crate) fn uploaded_document_guid(answer: &serde_json::Value) -> Result<String> {
    answer
        .pointer("/temporary_document/document_guid")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            Error::Decode("upload answer without `temporary_document.document_guid`".into())
        })
}

/// Notes the GUID an upload's answer gives its attachment.
pub(crate) fn note_uploaded(attachment: &mut Attachment, answer: &serde_json::Value) -> Result<()> {
    attachment.guid = Some(uploaded_document_guid(answer)?);
    Ok(())
}

/// The attachments not uploaded yet.
pub(crate) fn not_uploaded(attachments: &mut [Attachment]) -> Vec<&mut Attachment> {
    attachments
        .iter_mut()
        .filter(|a| a.guid.is_none())
        .collect()
}
