//! A plain ustar archive, written entry by entry so a subject access bundle streams without
//! being held in memory. Any `tar` reads it.

pub const BLOCK: usize = 512;

/// The 512-byte header for a regular file `name` of `size` bytes.
pub fn header(name: &str, size: u64, mtime: i64) -> Result<[u8; BLOCK], String> {
    let mut h = [0u8; BLOCK];
    let name = name.as_bytes();
    // ustar splits long names into a prefix (155) and a name (100) at a '/'.
    let (prefix, rest) = if name.len() <= 100 {
        (&[][..], name)
    } else {
        let split = name[..name.len().min(156)]
            .iter()
            .rposition(|&b| b == b'/')
            .filter(|&i| name.len() - i - 1 <= 100)
            .ok_or_else(|| format!("name too long for tar: {}", String::from_utf8_lossy(name)))?;
        (&name[..split], &name[split + 1..])
    };
    h[..rest.len()].copy_from_slice(rest);
    octal(&mut h[100..108], 0o640);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], mtime.max(0) as u64);
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[345..345 + prefix.len()].copy_from_slice(prefix);
    // The checksum is summed with its own field as spaces.
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| b as u32).sum();
    let field = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(field.as_bytes());
    Ok(h)
}

/// Zero bytes that bring an entry of `size` bytes to a whole block.
pub fn padding(size: u64) -> usize {
    (BLOCK - (size % BLOCK as u64) as usize) % BLOCK
}

/// Two empty blocks end an archive.
pub const END: [u8; 2 * BLOCK] = [0; 2 * BLOCK];

fn octal(field: &mut [u8], value: u64) {
    let text = format!("{value:0width$o}\0", width = field.len() - 1);
    field.copy_from_slice(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_written_here_is_read_by_tar() {
        let dir = tempfile::tempdir().unwrap();
        let body = b"hello from the bundle";
        let mut archive = Vec::new();
        archive.extend(header("letters/a.txt", body.len() as u64, 1_700_000_000).unwrap());
        archive.extend(body);
        archive.extend(vec![0; padding(body.len() as u64)]);
        archive.extend(END);
        let path = dir.path().join("b.tar");
        std::fs::write(&path, &archive).unwrap();
        let out = std::process::Command::new("tar")
            .arg("-xf")
            .arg(&path)
            .arg("-C")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read(dir.path().join("letters/a.txt")).unwrap(),
            body
        );
    }

    #[test]
    fn padding_fills_the_last_block() {
        assert_eq!(padding(512), 0);
        assert_eq!(padding(1), 511);
    }
}
