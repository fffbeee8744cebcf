//! A client stream (an upload) screened message by message as it arrives: a bad message
//! ends the call with INVALID_ARGUMENT before the handler decodes it, and the good ones
//! flow through without being held back.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes, BytesMut};
use http_body::{Body as HttpBody, Frame};
use tonic::Status;
use tonic::body::Body;

use super::schema::Schema;
use super::{FRAME_HEADER, check_body};

pub struct ScreenedStream {
    inner: Body,
    path: String,
    /// Bytes of the frame not yet whole.
    pending: BytesMut,
    failed: bool,
}

impl ScreenedStream {
    pub fn new(inner: Body, path: &str) -> Self {
        Self {
            inner,
            path: path.to_owned(),
            pending: BytesMut::new(),
            failed: false,
        }
    }

    /// Checks every frame `data` completes; what is left waits for the next data.
    fn screen(&mut self, data: &Bytes) -> Result<(), Status> {
        self.pending.extend_from_slice(data);
        loop {
            if self.pending.len() < FRAME_HEADER {
                return Ok(());
            }
            let length = u32::from_be_bytes([
                self.pending[1],
                self.pending[2],
                self.pending[3],
                self.pending[4],
            ]);
            let Some(whole) = usize::try_from(length)
                .ok()
                .and_then(|n| n.checked_add(FRAME_HEADER))
            else {
                return Err(Status::invalid_argument(
                    "malformed request: a frame is too long",
                ));
            };
            if self.pending.len() < whole {
                return Ok(());
            }
            check_body(Schema::housing(), &self.path, &self.pending[..whole])?;
            self.pending.advance(whole);
        }
    }
}

impl HttpBody for ScreenedStream {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        if self.failed {
            return Poll::Ready(None);
        }
        let frame = ready!(Pin::new(&mut self.inner).poll_frame(cx));
        let frame = match frame {
            Some(Ok(frame)) => frame,
            None if !self.pending.is_empty() => {
                self.failed = true;
                return Poll::Ready(Some(Err(Status::invalid_argument(
                    "malformed request: the last message is cut short",
                ))));
            }
            other => return Poll::Ready(other),
        };
        if let Some(data) = frame.data_ref()
            && let Err(status) = self.screen(data)
        {
            self.failed = true;
            return Poll::Ready(Some(Err(status)));
        }
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.failed || self.inner.is_end_stream()
    }
}
