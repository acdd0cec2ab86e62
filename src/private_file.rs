//! Files that hold personal data (statements, exports, a note's draft kept outside the database):
//! readable by their owner only (files 0600 in folders 0700), never written through a symbolic
//! link, and replaced whole: the new text goes to a temporary file beside the old one, is synced,
//! and is renamed over it, so a reader (or a crash) sees the old file or the new one, never half.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Creates `dir` and any missing parents owner-only (an existing folder is left as it is), and
/// refuses a folder that is a symbolic link.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    refuse_link(dir)?;
    builder.create(dir).map_err(|e| {
        // "File exists" would not say which: the file standing where a folder must go.
        match dir.ancestors().find(|a| a.is_file()) {
            Some(file) => io::Error::new(
                e.kind(),
                format!("{} is a file, not a folder", file.display()),
            ),
            None => e,
        }
    })
}

/// Makes the folder `path` goes in (owner-only, with any missing parents) unless there is one: a
/// folder already there is the officer's choice, even one reached through a link (a data folder
/// kept on another disk).
pub fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => create_dir(dir),
        _ => Ok(()),
    }
}

/// An error if `path` is a symbolic link (a missing path is fine).
pub fn refuse_link(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link: caseload does not write through links",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// A file being written in place of `path`: nothing is visible at `path` until [`commit`].
/// Dropped without a commit, the temporary file is removed and `path` is untouched.
///
/// [`commit`]: Replacement::commit
pub struct Replacement {
    file: File,
    temp: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Replacement {
    pub fn create(path: &Path) -> io::Result<Replacement> {
        refuse_link(path)?;
        let dir = parent(path);
        refuse_link(dir)?;
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let temp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let mut options = OpenOptions::new();
        // create_new is O_CREAT|O_EXCL: it fails on anything already there, a link included.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&temp)?;
        Ok(Replacement {
            file,
            temp,
            path: path.to_path_buf(),
            committed: false,
        })
    }

    /// Puts the new file in place of the old, durably.
    pub fn commit(mut self) -> io::Result<()> {
        self.file.flush()?;
        self.file.sync_all()?;
        // The rename replaces whatever name is there (never what a link points to); the check
        // in `create` has already refused a link.
        std::fs::rename(&self.temp, &self.path)?;
        self.committed = true;
        sync_dir(parent(&self.path))
    }

    /// Puts the new file at its path only if nothing is there (an error of kind
    /// `AlreadyExists` otherwise): a letter once written is never replaced. With `sync` false,
    /// the data is left for [`sync_all`] to make durable together with others.
    pub fn commit_new(mut self, sync: bool) -> io::Result<()> {
        self.file.flush()?;
        if sync {
            self.file.sync_all()?;
        }
        rename_new(&self.temp, &self.path)?;
        self.committed = true;
        if sync {
            sync_dir(parent(&self.path))?;
        }
        Ok(())
    }
}

impl Write for Replacement {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` as the whole of `path`, owner-only, replacing any file there atomically.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = Replacement::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Writes `bytes` as a new file at `path`, owner-only, whole or not at all, never replacing one
/// already there (see [`Replacement::commit_new`]).
pub fn write_new(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    let mut file = Replacement::create(path)?;
    file.write_all(bytes)?;
    file.commit_new(sync)
}

/// Gives the finished file `from` the name `to` only if nothing is there (an error of kind
/// `AlreadyExists` otherwise, a link included): unlike a rename, it never replaces a file, and
/// never puts one in place of a link planted at `to`. `from` must not be a link.
pub fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    // link() never replaces what is there, a link included.
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}

/// Appends `bytes` to `path`, durably, never through a link; a new file is made owner-only with
/// `header` first. Returns the length the file had before, and after, for [`undo_append`].
pub fn append(path: &Path, header: &[u8], bytes: &[u8]) -> io::Result<(u64, u64)> {
    refuse_link(parent(path))?;
    let mut new = OpenOptions::new();
    new.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut new, 0o600);
    let (mut file, text, made) = match new.open(path) {
        Ok(file) => (file, [header, bytes].concat(), true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let mut old = OpenOptions::new();
            old.append(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::custom_flags(&mut old, libc::O_NOFOLLOW);
            (old.open(path)?, bytes.to_vec(), false)
        }
        Err(e) => return Err(e),
    };
    let before = file.metadata()?.len();
    if let Err(e) = file.write_all(&text).and_then(|()| file.sync_all()) {
        // A full disk part way through: the file goes back to what it was (a new one goes), so
        // it never ends in half a row.
        let _ = if made {
            std::fs::remove_file(path)
        } else {
            file.set_len(before).and_then(|()| file.sync_all())
        };
        return Err(e);
    }
    let after = file.metadata()?.len();
    sync_dir(parent(path))?;
    Ok((before, after))
}

/// Takes back what [`append`] added, if nothing was added after it (else leaves the file).
pub fn undo_append(path: &Path, (before, after): (u64, u64)) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let file = options.open(path)?;
    if file.metadata()?.len() == after {
        file.set_len(before)?;
        file.sync_all()?;
    }
    Ok(())
}

/// Makes everything written under `dir` durable at once: one flush of its file system, not one
/// per file (a batch of letters writes thousands).
pub fn sync_all(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let folder = File::open(dir)?;
        // SAFETY: syncfs only reads the descriptor, which `folder` keeps open.
        if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        // SAFETY: sync takes no arguments and cannot fail.
        unsafe { libc::sync() };
        sync_dir(dir)
    }
    #[cfg(not(unix))]
    {
        sync_dir(dir)
    }
}

/// Removes `path` (if there) durably.
pub fn remove(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => sync_dir(parent(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A rename or removal survives a power cut only once its folder is synced.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_and_folder_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        create_dir(&folder).unwrap();
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        let file = folder.join("x.txt");
        write(&file, b"one").unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).unwrap(), b"one");
    }

    #[test]
    fn an_existing_file_is_replaced_whole_with_the_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("statement.txt");
        std::fs::write(&file, "old and longer").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&file, b"new").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        assert_eq!(mode(&file), 0o600);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_link_is_refused_and_what_it_points_to_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, "someone else's").unwrap();
        let link = dir.path().join("statement.txt");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let err = write(&link, b"personal data").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"someone else's");
        // A folder that is a link is refused too.
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let linked = dir.path().join("statements");
        std::os::unix::fs::symlink(&real, &linked).unwrap();
        assert!(write(&linked.join("s.txt"), b"x").is_err());
        assert!(create_dir(&linked).is_err());
        assert_eq!(std::fs::read_dir(&real).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_said_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes");
        std::fs::write(&file, "a file").unwrap();
        let err = create_dir(&file.join("statements"))
            .unwrap_err()
            .to_string();
        assert_eq!(err, format!("{} is a file, not a folder", file.display()));
        let err = write(&file.join("s.txt"), b"x").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOTDIR), "{err}");
    }

    #[test]
    fn a_new_file_never_replaces_one_already_there() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("letter.html");
        write_new(&file, b"first", false).unwrap();
        let again = write_new(&file, b"second", true).unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&file).unwrap(), b"first");
        assert_eq!(mode(&file), 0o600);
        // Nor through a link, nor leaving a temporary file.
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(write_new(&link, b"x", false).is_err());
        assert_eq!(std::fs::read(&file).unwrap(), b"first");
        sync_all(dir.path()).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn an_append_writes_the_header_once_and_can_be_taken_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sms.csv");
        append(&file, b"h\n", b"a\n").unwrap();
        assert_eq!(mode(&file), 0o600);
        let second = append(&file, b"h\n", b"b\n").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"h\na\nb\n");
        undo_append(&file, second).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"h\na\n");
        // Another append since: nothing is taken back.
        let third = append(&file, b"h\n", b"c\n").unwrap();
        append(&file, b"h\n", b"d\n").unwrap();
        undo_append(&file, third).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"h\na\nc\nd\n");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(append(&link, b"h\n", b"x\n").is_err());
    }

    /// Set by [`a_full_disk_leaves_no_half_file`] for the copy of this test binary it runs.
    const FULL_DISK: &str = "CASELOAD_TEST_FULL_DISK";

    /// A full disk, part way through: the test binary again, allowed files of 16 bytes at most
    /// (a write past that fails as on a full disk, after writing what fits).
    #[test]
    fn a_full_disk_leaves_no_half_file() {
        use std::os::unix::process::CommandExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old.csv"), "h\na\n").unwrap();
        std::fs::write(dir.path().join("statement.txt"), "old").unwrap();
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args(["--exact", "private_file::tests::writes_on_a_full_disk"])
            .args(["--ignored", "--test-threads=1"])
            .env(FULL_DISK, dir.path());
        // SAFETY: setrlimit and signal only change the new process's limits and dispositions.
        unsafe {
            child.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 16,
                    rlim_max: 16,
                };
                libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
                // Told by an error, not a signal, that the file may grow no more.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                Ok(())
            })
        };
        let ran = child.output().unwrap();
        let said = String::from_utf8_lossy(&ran.stdout);
        assert!(ran.status.success(), "{said}");
        assert!(said.contains("1 passed"), "{said}");
        // An append goes back to the rows the file had; a new file is not left at all.
        assert_eq!(
            std::fs::read(dir.path().join("old.csv")).unwrap(),
            b"h\na\n"
        );
        assert!(!dir.path().join("new.csv").exists());
        // A replacement leaves the old file, a new one is not made, and no temporary file stays.
        assert_eq!(
            std::fs::read(dir.path().join("statement.txt")).unwrap(),
            b"old"
        );
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["old.csv", "statement.txt"]);
    }

    /// Run only by [`a_full_disk_leaves_no_half_file`], in a process whose files cannot grow.
    #[test]
    #[ignore = "run by a_full_disk_leaves_no_half_file"]
    fn writes_on_a_full_disk() {
        let dir = PathBuf::from(std::env::var_os(FULL_DISK).unwrap());
        let long = [b'x'; 40];
        let full = |e: io::Error| assert_eq!(e.raw_os_error(), Some(libc::EFBIG), "{e}");
        full(append(&dir.join("old.csv"), b"h\n", &long).unwrap_err());
        full(append(&dir.join("new.csv"), b"h\n", &long).unwrap_err());
        full(write(&dir.join("statement.txt"), &long).unwrap_err());
        full(write_new(&dir.join("letter.html"), &long, false).unwrap_err());
    }

    #[test]
    fn an_unfinished_replacement_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("export.csv");
        std::fs::write(&file, "old").unwrap();
        let mut r = Replacement::create(&file).unwrap();
        r.write_all(b"half a").unwrap();
        drop(r);
        assert_eq!(std::fs::read(&file).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
