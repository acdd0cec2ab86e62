//! The terminal: set-up, the event loop, and restoring the terminal however the program ends
//! (`q`, a panic, SIGHUP when the window is closed, or any signal that would end it: INT, QUIT,
//! TERM, USR1, USR2), the note's last keystrokes saved first.

use crate::app::keymap::{Key, KeyCombo, Named};
use crate::app::{Action, Session};
use crate::store::DraftStatus;
use crate::ui::{self, Theme};
use ratatui::backend::Backend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers,
};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How often the clock ticks: the call timer, and the most a draft of the note can lag behind
/// what is typed (the issue allows a second).
const TICK: Duration = Duration::from_millis(250);
/// Bytes a frame is gathered in before it is written: a whole redraw of a large window fits.
const FRAME_BUFFER: usize = 1 << 16;
/// The most events taken in between two frames: a frame is drawn however fast keys come.
const BURST: usize = 64;
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
    let backend = ratatui::backend::CrosstermBackend::new(out);
    let size = backend.size()?;
    // A fixed viewport, resized by the loop when the terminal says it was resized: a full-screen
    // one asks the terminal its size before every frame (opening /dev/tty each time).
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.width, size.height));
    let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport })?;
    let _restore = Restore;
    // A paste arrives as one piece of text, not as keys that could be taken for commands.
    ratatui::crossterm::execute!(io::stdout(), EnableBracketedPaste)?;
    session.dispatch(Action::Resize(size.width, size.height));

    // The keys' threads (this one and the input's, which starts from it) on a core of their own,
    // which the background's threads leave to them.
    crate::cores::keep_for_keys();
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
    frames(&mut terminal, session, theme, &input, &stop)?;
    Ok(end(session, &which))
}

/// Draws and takes in keys and background results until the officer quits, a signal stops it
/// or the input ends.
fn frames<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &mut Session,
    theme: &Theme,
    input: &Receiver<Woken>,
    stop: &AtomicBool,
) -> Result<(), B::Error> {
    let mut dirty = true;
    let mut ticked = Instant::now();
    'frames: loop {
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
            // At the size the terminal last said it has: a resize clears it and draws it whole.
            let (width, height) = session.state.size;
            let area = Rect::new(0, 0, width, height);
            if terminal.get_frame().area() != area {
                terminal.resize(area)?;
            }
            terminal.draw(|frame| ui::draw(frame, &session.state, session.keymap(), theme))?;
            dirty = false;
        }
        // Once the frame is written, not between the keys and their frame: the accounts they
        // asked for go to the reading thread (woken before, it took the core the frame was drawn
        // on), the account the queue opens on is asked for, and background results are taken in
        // (drawn at once unless keys wait).
        let polled = session.poll_background();
        dirty |= polled;
        let tick = if polled {
            Duration::ZERO
        } else if session.is_loading() {
            BUSY_TICK
        } else {
            TICK
        };
        // Whatever came while the last frame was drawn is taken in before the next one: keys
        // pressed faster than frames are drawn once, for the latest, and an account read for a
        // row already left is not drawn at all.
        let mut woken = match input.recv_timeout(tick) {
            Ok(woken) => Some(woken),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break 'frames,
        };
        let mut taken = 0;
        while let Some(event) = woken.take() {
            match take_in(session, event) {
                Some(changed) => dirty |= changed,
                None => break 'frames,
            }
            taken += 1;
            if taken < BURST && !session.state.quit {
                woken = input.try_recv().ok();
            }
        }
        // By the clock, not by idleness: a draft is saved while the officer types without pause.
        if ticked.elapsed() >= TICK {
            ticked = Instant::now();
            dirty |= session.tick(chrono::Local::now().time());
        }
    }
    Ok(())
}

/// Takes in what woke the loop; whether the screen changed, `None` once the input has ended.
fn take_in(session: &mut Session, woken: Woken) -> Option<bool> {
    match woken {
        // Only presses: terminals that report releases and repeats must not double keys.
        Woken::Input(Event::Key(key)) if key.kind == KeyEventKind::Press => {
            let combo = combo(key);
            if let Some(combo) = combo {
                session.press(combo);
            }
            Some(combo.is_some())
        }
        Woken::Input(Event::Resize(w, h)) => {
            session.dispatch(Action::Resize(w, h));
            Some(true)
        }
        Woken::Input(Event::Paste(text)) => {
            session.dispatch(Action::Paste(text));
            Some(true)
        }
        Woken::Input(_) | Woken::AccountRead => Some(false),
        Woken::InputEnded => None,
    }
}

/// However the loop ended (q, a signal, a closed terminal), the note's last words are saved.
fn end(session: &mut Session, which: &AtomicUsize) -> Ending {
    let signal = i32::try_from(which.load(Ordering::Relaxed))
        .ok()
        .filter(|s| *s != 0);
    Ending {
        drafts: session.close(),
        signal,
    }
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
    use crate::domain::ledger::EntryKind;
    use crate::store::tests::{add_tenancy, entry, temp_store};
    use ratatui::backend::TestBackend;

    /// A session on six accounts owing different sums, on the All tab, before its first frame.
    fn session() -> (tempfile::TempDir, Session) {
        let (dir, mut store) = temp_store();
        for n in 1..=6 {
            let (_, account) = add_tenancy(&mut store, &format!("T{n}"));
            let charge = entry(account, "2026-10-19", EntryKind::Charge, 100 * n);
            store
                .write("tester", "test", |w| w.append_entry(&charge))
                .unwrap();
        }
        let s = Session::for_tests(store, 160, 48);
        (dir, s)
    }

    fn screen(terminal: &Terminal<TestBackend>) -> String {
        let buffer = terminal.backend().buffer();
        let width = usize::from(buffer.area.width);
        let cells: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
        cells.chunks(width).map(|row| row.concat() + "\n").collect()
    }

    #[test]
    fn keys_waiting_when_a_frame_is_done_are_drawn_once_for_the_latest() {
        let (_dir, mut s) = session();
        let (keys, input) = mpsc::channel();
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        for _ in 0..5 {
            keys.send(Woken::Input(Event::Key(j))).unwrap();
        }
        drop(keys);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        let theme = Theme::plain();
        frames(
            &mut terminal,
            &mut s,
            &theme,
            &input,
            &AtomicBool::new(false),
        )
        .unwrap();
        // The first frame, then one for the five keys, not five.
        assert_eq!(terminal.get_frame().count(), 2);
        // What five keys taken one at a time would have drawn last.
        let (_other, mut one_by_one) = session();
        one_by_one.keys("jjjjj");
        assert_eq!(one_by_one.state.queue.selected_index(), 5);
        let mut expected = Terminal::new(TestBackend::new(160, 48)).unwrap();
        expected
            .draw(|f| ui::draw(f, &one_by_one.state, one_by_one.keymap(), &theme))
            .unwrap();
        assert_eq!(screen(&terminal), screen(&expected));
    }

    #[test]
    fn a_key_that_moves_the_selection_is_drawn_before_its_account_is_read_which_follows() {
        let (_dir, mut s) = session();
        s.read_accounts_aside(Arc::new(|| {}));
        let first = s.state.queue.selected_id();
        assert!(s.state.current_account().is_some());
        let (keys, input) = mpsc::channel();
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        keys.send(Woken::Input(Event::Key(j))).unwrap();
        drop(keys);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        let theme = Theme::plain();
        let stop = AtomicBool::new(false);
        frames(&mut terminal, &mut s, &theme, &input, &stop).unwrap();
        // The key's frame, the last drawn: the selection moved, its account not read yet (asked
        // for once the frame was written; it may have come since, not drawn before the loop
        // ended).
        let moved = s.state.queue.selected_id();
        assert_ne!(moved, first);
        let reference = s.state.queue.selected().unwrap().reference().to_string();
        let screen_of_key = screen(&terminal);
        let header = screen_of_key.lines().next().unwrap();
        assert!(header.contains(&reference), "{header}");
        assert_eq!(
            screen_of_key.matches("Opening…").count(),
            3,
            "{screen_of_key}"
        );
        // Then the account comes, and is drawn.
        s.wait_account();
        let account = s.state.current_account().map(|a| a.record.tenancy_id);
        assert_eq!(account, moved);
        let (no_keys, input) = mpsc::channel();
        drop(no_keys);
        frames(&mut terminal, &mut s, &theme, &input, &stop).unwrap();
        assert_eq!(screen(&terminal).matches("Opening…").count(), 0);
    }

    #[test]
    fn a_resize_draws_the_whole_screen_again_at_the_new_size() {
        let (_dir, mut s) = session();
        let (events, input) = mpsc::channel();
        events.send(Woken::Input(Event::Resize(100, 30))).unwrap();
        drop(events);
        let fixed = |width, height| TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        };
        let backend = TestBackend::new(160, 48);
        let mut terminal = Terminal::with_options(backend, fixed(160, 48)).unwrap();
        let theme = Theme::plain();
        let stop = AtomicBool::new(false);
        frames(&mut terminal, &mut s, &theme, &input, &stop).unwrap();
        assert_eq!(terminal.get_frame().area(), Rect::new(0, 0, 100, 30));
        // Nothing is left of the first frame's 160x48: the screen a session drew at 100x30.
        let (_other, mut resized) = session();
        resized.dispatch(Action::Resize(100, 30));
        let backend = TestBackend::new(160, 48);
        let mut expected = Terminal::with_options(backend, fixed(100, 30)).unwrap();
        expected
            .draw(|f| ui::draw(f, &resized.state, resized.keymap(), &theme))
            .unwrap();
        assert_eq!(screen(&terminal), screen(&expected));
    }

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
