//! The terminal: set-up, the event loop, and restoring the terminal however the program ends
//! (`q`, a panic, SIGHUP when the window is closed, or any signal that would end it: INT, QUIT,
//! TERM, USR1, USR2), the note's last keystrokes saved first.

use crate::app::keymap::{Key, KeyCombo, Named};
use crate::app::{Action, Session};
use crate::store::DraftStatus;
use crate::ui::{self, Theme};
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers,
};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How often the clock ticks: the call timer, and the most a draft of the note can lag behind
/// what is typed (the issue allows a second).
const TICK: Duration = Duration::from_millis(250);
/// Bytes a frame is gathered in before it is written: a whole redraw of a large window fits.
const FRAME_BUFFER: usize = 1 << 16;
/// How often it wakes while background work may deliver results.
const BUSY_TICK: Duration = Duration::from_millis(15);

/// What wakes the event loop.
enum Woken {
    /// The terminal's input: a key, a paste, a resize.
    Input(Event),
    /// The terminal's input has ended (it went away).
    InputEnded,
    /// The selected account has been read (see `Session::read_accounts_aside`).
    AccountRead,
}

/// Restores the terminal when dropped, so every way out of `run` leaves a usable shell.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = ratatui::crossterm::execute!(io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Signals whose default is to end the program: each ends it the way `q` does instead (terminal
/// restored, drafts saved). A second one while that is under way ends it at once.
const ENDING: [i32; 6] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGUSR1,
    signal_hook::consts::SIGUSR2,
];

/// How the workstation ended.
pub struct Ending {
    /// Where the drafts are kept.
    pub drafts: DraftStatus,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
}

/// Runs the workstation until it quits or a signal ends it.
pub fn run(session: &mut Session, theme: &Theme) -> io::Result<Ending> {
    let stop = Arc::new(AtomicBool::new(false));
    let which = Arc::new(AtomicUsize::new(0));
    for signal in ENDING {
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, Arc::clone(&stop))?;
        let number = usize::try_from(signal).unwrap_or(usize::MAX);
        signal_hook::flag::register_usize(signal, Arc::clone(&which), number)?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    // ratatui::init installs a panic hook that restores the terminal before the panic message.
    drop(ratatui::try_init()?);
    // A frame goes out in one write, when it is whole, not in a write per kilobyte of a line
    // buffer locked for each of its few thousand escape sequences.
    let out = io::BufWriter::with_capacity(FRAME_BUFFER, io::stdout());
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(out))?;
    let _restore = Restore;
    // A paste arrives as one piece of text, not as keys that could be taken for commands.
    ratatui::crossterm::execute!(io::stdout(), EnableBracketedPaste)?;
    let size = terminal.size()?;
    session.dispatch(Action::Resize(size.width, size.height));

    // Input is read on its own thread: when the terminal goes away crossterm can spin inside
    // `poll` without returning (crossterm#793), and the loop below must still see the signal.
    let (events, input) = mpsc::channel();
    let read = events.clone();
    session.read_accounts_aside(Arc::new(move || {
        let _ = read.send(Woken::AccountRead);
    }));
    std::thread::spawn(move || {
        while let Ok(event) = event::read() {
            if events.send(Woken::Input(event)).is_err() {
                return;
            }
        }
        let _ = events.send(Woken::InputEnded);
    });

    let mut dirty = true;
    let mut ticked = Instant::now();
    loop {
        // A signal ends the program at once: no question could be answered.
        if stop.load(Ordering::Relaxed) {
            break;
        }
        // Quitting waits until every draft is kept somewhere, or the officer says to lose it.
        if session.state.quit {
            if session.ready_to_quit() {
                break;
            }
            dirty = true;
        }
        if dirty {
            terminal.draw(|frame| ui::draw(frame, &session.state, session.keymap(), theme))?;
            dirty = false;
        }
        // The account the queue opens on is read as soon as the queue is on screen.
        if session.open_first_account() {
            dirty = true;
            continue;
        }
        let tick = if session.is_loading() {
            BUSY_TICK
        } else {
            TICK
        };
        let received = input.recv_timeout(tick);
        if session.poll_background() {
            dirty = true;
        }
        match received {
            // Only presses: terminals that report releases and repeats must not double keys.
            Ok(Woken::Input(Event::Key(key))) if key.kind == KeyEventKind::Press => {
                if let Some(combo) = combo(key) {
                    session.press(combo);
                    dirty = true;
                }
            }
            Ok(Woken::Input(Event::Resize(w, h))) => {
                session.dispatch(Action::Resize(w, h));
                dirty = true;
            }
            Ok(Woken::Input(Event::Paste(text))) => {
                session.dispatch(Action::Paste(text));
                dirty = true;
            }
            Ok(Woken::Input(_) | Woken::AccountRead) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Woken::InputEnded) | Err(RecvTimeoutError::Disconnected) => break,
        }
        // By the clock, not by idleness: a draft is saved while the officer types without pause.
        if ticked.elapsed() >= TICK {
            ticked = Instant::now();
            dirty |= session.tick(chrono::Local::now().time());
        }
    }
    // However the loop ended (q, a signal, a closed terminal), the note's last words are saved.
    let signal = i32::try_from(which.load(Ordering::Relaxed))
        .ok()
        .filter(|s| *s != 0);
    Ok(Ending {
        drafts: session.close(),
        signal,
    })
}

/// A key event as the keymap knows keys; `None` for keys caseload never binds.
fn combo(key: KeyEvent) -> Option<KeyCombo> {
    let named = |n| Key::Named(n);
    // A line feed is Enter: some terminals send it for the Enter key (tmux driven by send-keys
    // does), and crossterm reads it in raw mode as Ctrl-J, which caseload binds to nothing else.
    if key.code == KeyCode::Char('j') && key.modifiers == KeyModifiers::CONTROL {
        return Some(KeyCombo::new(named(Named::Enter), false, false, false));
    }
    let code = match key.code {
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::F(n) => Key::F(n),
        KeyCode::Enter => named(Named::Enter),
        KeyCode::Esc => named(Named::Esc),
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => named(Named::BackTab),
        KeyCode::Tab => named(Named::Tab),
        KeyCode::BackTab => named(Named::BackTab),
        KeyCode::Backspace => named(Named::Backspace),
        KeyCode::Delete => named(Named::Delete),
        KeyCode::Insert => named(Named::Insert),
        KeyCode::Up => named(Named::Up),
        KeyCode::Down => named(Named::Down),
        KeyCode::Left => named(Named::Left),
        KeyCode::Right => named(Named::Right),
        KeyCode::Home => named(Named::Home),
        KeyCode::End => named(Named::End),
        KeyCode::PageUp => named(Named::PageUp),
        KeyCode::PageDown => named(Named::PageDown),
        _ => return None,
    };
    let m = key.modifiers;
    Some(KeyCombo::new(
        code,
        m.contains(KeyModifiers::CONTROL),
        m.contains(KeyModifiers::ALT),
        m.contains(KeyModifiers::SHIFT),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_keys_become_keymap_keys() {
        let k = |s| KeyCombo::parse(s).unwrap();
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(combo(shifted), Some(k("G")));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(combo(backtab), Some(k("<S-tab>")));
        let shift_tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(combo(shift_tab), Some(k("<S-tab>")));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(combo(ctrl_c), Some(k("<C-c>")));
        // A terminal whose Enter sends a line feed (tmux driven by send-keys does) is read in raw
        // mode as Ctrl-J: it is Enter.
        let line_feed = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(combo(line_feed), Some(k("<ret>")));
    }
}
