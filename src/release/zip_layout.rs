//! A strict reading of a zip file's layout, before its entries are trusted.
//!
//! Zip readers differ: most find the central directory from the end and ignore anything that is
//! not listed there, while some unpackers walk the local headers from the start. Data prepended to
//! a package, a second central directory, or a local entry the central directory does not list
//! could therefore show one program different files than another. A package policybook verifies
//! must have exactly the layout policybook writes: local entries one after another from byte 0,
//! each matching its central directory record, then the one central directory, then its end
//! record with no comment.

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
const END_RECORD_LEN: usize = 22;
const CENTRAL_FIXED_LEN: usize = 46;
const LOCAL_FIXED_LEN: usize = 30;
/// General-purpose flag bit 3: sizes and CRC follow the data instead of sitting in the header.
const DATA_DESCRIPTOR_FLAG: u16 = 1 << 3;

/// One central directory record, as far as the layout check needs it.
struct CentralRecord<'a> {
    name: &'a [u8],
    flags: u16,
    crc: u32,
    compressed_size: u32,
    local_offset: u32,
}

/// Checks that `bytes` have exactly the layout of a zip policybook writes; the error says what
/// is out of place.
pub fn check_strict_layout(bytes: &[u8]) -> Result<(), String> {
    let end = end_record_offset(bytes)?;
    let entries = read_u16(bytes, end + 10)? as usize;
    if read_u16(bytes, end + 4)? != 0
        || read_u16(bytes, end + 6)? != 0
        || read_u16(bytes, end + 8)? as usize != entries
    {
        return Err("it spans several disks".to_owned());
    }
    let directory_size = read_u32(bytes, end + 12)? as usize;
    let directory_start = read_u32(bytes, end + 16)? as usize;
    match directory_start.checked_add(directory_size) {
        Some(directory_end) if directory_end == end => {}
        // Every offset is short by the same amount: bytes were put in front of the zip.
        Some(directory_end) if directory_end < end => {
            return Err(format!(
                "there is data before the first entry ({} bytes: every offset is shifted)",
                end - directory_end
            ));
        }
        _ => return Err("its central directory does not end where its end record is".to_owned()),
    }
    let mut records = central_records(&bytes[directory_start..end], entries)?;
    records.sort_by_key(|r| r.local_offset);
    let mut expected = 0usize;
    for record in &records {
        if record.local_offset as usize != expected {
            return Err(if expected == 0 {
                "there is data before the first entry".to_owned()
            } else {
                format!(
                    "there is unlisted data before entry `{}`",
                    String::from_utf8_lossy(record.name)
                )
            });
        }
        expected = check_local_entry(bytes, record)?;
    }
    if expected != directory_start {
        return Err("there is unlisted data before the central directory".to_owned());
    }
    Ok(())
}

/// The end record must be the file's last 22 bytes (policybook writes no zip comment), and it
/// must be the only one.
fn end_record_offset(bytes: &[u8]) -> Result<usize, String> {
    let end = bytes
        .len()
        .checked_sub(END_RECORD_LEN)
        .ok_or("it is too short to be a zip")?;
    if read_u32(bytes, end)? != END_OF_CENTRAL_DIRECTORY || read_u16(bytes, end + 20)? != 0 {
        return Err("it does not end with a zip end record (a comment or data follows)".to_owned());
    }
    Ok(end)
}

/// Reads exactly `entries` records filling all of `directory`.
fn central_records(directory: &[u8], entries: usize) -> Result<Vec<CentralRecord<'_>>, String> {
    let mut records = Vec::with_capacity(entries.min(directory.len() / CENTRAL_FIXED_LEN));
    let mut at = 0usize;
    while at < directory.len() {
        if read_u32(directory, at)? != CENTRAL_HEADER {
            return Err("its central directory holds something that is not an entry".to_owned());
        }
        let name_len = read_u16(directory, at + 28)? as usize;
        let extra_len = read_u16(directory, at + 30)? as usize;
        let comment_len = read_u16(directory, at + 32)? as usize;
        let name_start = at + CENTRAL_FIXED_LEN;
        let name = directory
            .get(name_start..name_start + name_len)
            .ok_or("its central directory is cut short")?;
        records.push(CentralRecord {
            name,
            flags: read_u16(directory, at + 8)?,
            crc: read_u32(directory, at + 16)?,
            compressed_size: read_u32(directory, at + 20)?,
            local_offset: read_u32(directory, at + 42)?,
        });
        at = name_start + name_len + extra_len + comment_len;
    }
    if at != directory.len() || records.len() != entries {
        return Err("its central directory and its end record disagree".to_owned());
    }
    Ok(records)
}

/// Checks the local entry `record` points at; returns the offset just past its data.
fn check_local_entry(bytes: &[u8], record: &CentralRecord) -> Result<usize, String> {
    let at = record.local_offset as usize;
    let name = String::from_utf8_lossy(record.name);
    if read_u32(bytes, at)? != LOCAL_HEADER {
        return Err(format!(
            "entry `{name}` has no local header where the directory says"
        ));
    }
    if record.flags & DATA_DESCRIPTOR_FLAG != 0 {
        return Err(format!("entry `{name}` stores its sizes after its data"));
    }
    let name_len = read_u16(bytes, at + 26)? as usize;
    let extra_len = read_u16(bytes, at + 28)? as usize;
    let name_start = at + LOCAL_FIXED_LEN;
    let local_name = bytes
        .get(name_start..name_start + name_len)
        .ok_or("an entry is cut short")?;
    if local_name != record.name
        || read_u32(bytes, at + 14)? != record.crc
        || read_u32(bytes, at + 18)? != record.compressed_size
    {
        return Err(format!(
            "entry `{name}` has a local header that does not match the central directory"
        ));
    }
    let end = name_start + name_len + extra_len + record.compressed_size as usize;
    if end > bytes.len() {
        return Err(format!("entry `{name}` is cut short"));
    }
    Ok(end)
}

fn read_u16(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| "it is cut short".to_owned())
}

fn read_u32(bytes: &[u8], at: usize) -> Result<u32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| "it is cut short".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_plain_zip_passes() {
        let zip = zip_of(&[("a.txt", b"alpha"), ("dir/b.txt", b"beta beta beta")]);
        assert_eq!(check_strict_layout(&zip), Ok(()));
        assert_eq!(check_strict_layout(&zip_of(&[])), Ok(()));
    }

    #[test]
    fn prepended_data_is_refused() {
        let mut zip = b"#!/bin/sh\necho hi\n".to_vec();
        zip.extend(zip_of(&[("a.txt", b"alpha")]));
        assert!(check_strict_layout(&zip).is_err());
    }

    #[test]
    fn a_hidden_local_entry_is_refused() {
        // A local entry for "evil.txt" slipped in before the central directory, unlisted.
        let honest = zip_of(&[("a.txt", b"alpha")]);
        let with_evil = zip_of(&[("a.txt", b"alpha"), ("evil.txt", b"boo")]);
        let end = honest.len() - END_RECORD_LEN;
        let directory_start = read_u32(&honest, end + 16).unwrap() as usize;
        let evil_end =
            read_u32(&with_evil, with_evil.len() - END_RECORD_LEN + 16).unwrap() as usize;
        let mut forged = honest[..directory_start].to_vec();
        forged.extend_from_slice(&with_evil[directory_start..evil_end]);
        let new_start = forged.len() as u32;
        forged.extend_from_slice(&honest[directory_start..end]);
        let mut end_record = honest[end..].to_vec();
        end_record[16..20].copy_from_slice(&new_start.to_le_bytes());
        forged.extend(end_record);
        let error = check_strict_layout(&forged).unwrap_err();
        assert!(error.contains("unlisted"), "{error}");
    }

    #[test]
    fn a_comment_or_trailing_data_is_refused() {
        let mut zip = zip_of(&[("a.txt", b"alpha")]);
        zip.extend_from_slice(b"trailing");
        assert!(check_strict_layout(&zip).is_err());
    }

    #[test]
    fn a_local_name_that_differs_is_refused() {
        let mut zip = zip_of(&[("a.txt", b"alpha")]);
        zip[LOCAL_FIXED_LEN] = b'z';
        let error = check_strict_layout(&zip).unwrap_err();
        assert!(error.contains("does not match"), "{error}");
    }

    #[test]
    fn garbage_never_panics() {
        for len in 0..64 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
            let _ = check_strict_layout(&bytes);
        }
        let mut end_only = vec![0u8; END_RECORD_LEN];
        end_only[..4].copy_from_slice(&END_OF_CENTRAL_DIRECTORY.to_le_bytes());
        end_only[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(check_strict_layout(&end_only).is_err());
    }
}
