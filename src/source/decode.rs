//! Transcoding a legacy or UTF-16 byte stream to UTF-8 on the fly, so the CSV parser always
//! sees UTF-8 and memory stays one buffer deep. Malformed input is an error, never a
//! replacement character: the operator must know their data is not what it claims.

use std::io::{self, Read};

const IN_CAPACITY: usize = 64 * 1024;
// UTF-8 output of UTF-16 or single-byte input is at most three bytes per input byte.
const OUT_CAPACITY: usize = IN_CAPACITY * 3 + 16;

pub struct DecodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    finished: bool,
    /// An error found after some good output; reported once that output is handed out.
    error: Option<io::Error>,
    /// File offset of the next input byte, to say where a malformed sequence is.
    offset: u64,
}

impl<R: Read> DecodingReader<R> {
    /// `inner` must start after any byte-order mark, which is `start_offset` bytes long.
    pub fn new(inner: R, encoding: &'static encoding_rs::Encoding, start_offset: u64) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; IN_CAPACITY],
            in_start: 0,
            in_end: 0,
            output: vec![0; OUT_CAPACITY],
            out_start: 0,
            out_end: 0,
            eof: false,
            finished: false,
            error: None,
            offset: start_offset,
        }
    }

    fn step(&mut self) -> io::Result<()> {
        if self.in_start == self.in_end && !self.eof {
            self.in_start = 0;
            self.in_end = loop {
                match self.inner.read(&mut self.input) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            self.eof = self.in_end == 0;
        }
        let last = self.eof;
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
            &self.input[self.in_start..self.in_end],
            &mut self.output,
            last,
        );
        self.in_start += read;
        self.offset += read as u64;
        self.out_start = 0;
        self.out_end = written;
        match result {
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                let at = self.offset - u64::from(bad) - u64::from(after);
                self.error = Some(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the bytes at offset {at} are not valid {}; if the file is in another \
                         encoding, choose it (--encoding)",
                        self.decoder.encoding().name()
                    ),
                ));
            }
            encoding_rs::DecoderResult::InputEmpty => self.finished = last,
            encoding_rs::DecoderResult::OutputFull => {}
        }
        Ok(())
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if let Some(error) = self.error.take() {
                return Err(error);
            }
            if self.finished {
                return Ok(0);
            }
            self.step()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> io::Result<String> {
        let mut out = String::new();
        DecodingReader::new(bytes, encoding, 0).read_to_string(&mut out)?;
        Ok(out)
    }

    #[test]
    fn windows_1252_accents_and_euro() {
        let text = decode_all(b"caf\xe9;\x80 12;Fran\xe7ois", encoding_rs::WINDOWS_1252).unwrap();
        assert_eq!(text, "café;€ 12;François");
    }

    #[test]
    fn utf16le_round_trips() {
        let source = "naam;stad\nZoë;Liège\n";
        let bytes: Vec<u8> = source
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_all(&bytes, encoding_rs::UTF_16LE).unwrap(), source);
    }

    #[test]
    fn unpaired_surrogate_is_an_error_not_a_replacement() {
        let mut bytes: Vec<u8> = "ab".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend("cd".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let err = decode_all(&bytes, encoding_rs::UTF_16LE).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("offset 4"), "{err}");
    }

    #[test]
    fn large_input_crosses_buffers() {
        let source = "é".repeat(200_000);
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&source);
        assert_eq!(
            decode_all(&bytes, encoding_rs::WINDOWS_1252).unwrap(),
            source
        );
    }
}
