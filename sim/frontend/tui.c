/*
 * Interactive board, see tui.h. The only place in quartz-sim that reads the
 * wall clock: every frame (~30 fps) the simulation runs to
 * virtual = anchor + elapsed monotonic time. Screen lines are rebuilt each
 * frame and only changed lines are written (ECMA-48 cursor addressing).
 */
#include "tui.h"
#include "gdb.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tuidraw.h"
#include "tuipane.h"

#define TUI_FRAME_NS 33333333ull  /* ~30 fps */
#define TUI_PRESS_NS 100000000ull /* space: B1 held for 100 ms */
#define TUI_MAX_LAG_NS 250000000ull
#define TUI_LINE 2048
#define TUI_MAX_ROWS 200

static volatile sig_atomic_t tui_quit_signal;
static volatile sig_atomic_t tui_resized;
static struct termios tui_saved;
static bool tui_active;

static void tui_restore(void)
{
    if (!tui_active)
        return;
    tui_active = false;
    static const char leave[] = "\x1b[0m\x1b[?25h\x1b[?1049l";
    fflush(stdout);
    if (write(STDOUT_FILENO, leave, sizeof leave - 1) < 0) {
        /* Nothing more can be done for a terminal that is gone. */
    }
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &tui_saved);
}

static void tui_on_signal(int sig)
{
    if (sig == SIGWINCH)
        tui_resized = 1;
    else
        tui_quit_signal = 1;
}

static int tui_enter(void)
{
    if (tcgetattr(STDIN_FILENO, &tui_saved) != 0)
        return -errno;
    struct termios raw = tui_saved;
    /* Keys one by one, no echo; ISIG stays so that Ctrl-C raises SIGINT. */
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) != 0)
        return -errno;
    tui_active = true;
    static bool registered;
    if (!registered && atexit(tui_restore) == 0)
        registered = true;

    struct sigaction sa = { 0 };
    sa.sa_handler = tui_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGWINCH, &sa, NULL);
    signal(SIGTSTP, SIG_IGN); /* a suspended raw-mode screen would be left broken */

    fputs("\x1b[?1049h\x1b[?25l\x1b[2J", stdout);
    return 0;
}

static uint64_t tui_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool tui_pixel(const void *ctx, int x, int y)
{
    return qsim_oled_pixel(ctx, x, y);
}

/* Stops a frame's run when the firmware resets the board and time restarts. */
static bool tui_time_went_back(struct qsim *s, void *ctx)
{
    return qsim_time_ns(s) < *(const uint64_t *)ctx;
}

struct tui_screen {
    int cols, rows;
    char (*line)[TUI_LINE];
    char (*shown)[TUI_LINE];
};

static void tui_size(struct tui_screen *sc)
{
    struct winsize ws;
    sc->cols = 80;
    sc->rows = 24;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
        sc->cols = ws.ws_col;
        sc->rows = ws.ws_row < TUI_MAX_ROWS ? ws.ws_row : TUI_MAX_ROWS;
    }
    for (int r = 0; r < TUI_MAX_ROWS; r++)
        sc->shown[r][0] = '\x01'; /* never equal to a built line: redraw all */
    fputs("\x1b[0m\x1b[2J", stdout);
}

/* Appends a box-drawing run: corner, `n` horizontal lines, corner. */
static void tui_rule(char *buf, const char *left, int n, const char *right)
{
    strcat(buf, left);
    size_t at = strlen(buf);
    for (int i = 0; i < n && at + 4 < TUI_LINE; i++, at += 3)
        memcpy(buf + at, "\u2500", 3);
    buf[at] = '\0';
    strcat(buf, right);
}

/* The side pane (--pane): a dim header, then the file's last lines. */
static void tui_build_pane(struct tui_screen *sc, const struct tui_layout *l, const struct tui_pane *pane,
                           const char *title)
{
    static char text[TUI_MAX_ROWS][TUI_LINE / 4];
    int width = l->pane_cols < (int)sizeof text[0] - 1 ? l->pane_cols : (int)sizeof text[0] - 1;
    tui_console_line(text[0], sizeof text[0], title, strlen(title), width);
    int n = tui_pane_text(pane->text, pane->len, width, l->pane_rows - 1, text[1], sizeof text[0]);
    for (int i = 0; i <= n; i++) {
        char *line = sc->line[l->pane_row + i];
        size_t at = strlen(line);
        if (l->pane_col > 0)
            at += (size_t)snprintf(line + at, TUI_LINE - at, " "); /* the column between box and pane */
        snprintf(line + at, TUI_LINE - at, i == 0 ? "\x1b[2m%s\x1b[0m" : "%s", text[i]);
    }
}

static void tui_build(struct tui_screen *sc, const struct qsim *s, const char *name,
                      const struct tui_status *st, const struct tui_pane *pane, const char *pane_title)
{
    for (int r = 0; r < sc->rows; r++)
        sc->line[r][0] = '\0';
    struct tui_layout l;
    tui_layout(sc->cols, sc->rows, pane != NULL, &l);
    enum tui_oled_mode mode = l.mode;
    int ocols = tui_oled_cols(mode), orows = tui_oled_rows(mode);
    if (l.too_small) {
        snprintf(sc->line[0], TUI_LINE, "quartz-sim: terminal %dx%d is too small, need at least 66x22",
                 sc->cols, sc->rows);
        return;
    }
    int r = 0;
    snprintf(sc->line[r++], TUI_LINE, "\x1b[7m quartz-sim  %.60s \x1b[0m   space: press B1   r: reset   q: quit   Tab: keys to the console",
             name);
    tui_rule(sc->line[r++], "\u250c", ocols, "\u2510");
    struct tui_status shown = *st;
    shown.compact = mode == TUI_OLED_BRAILLE;
    for (int row = 0; row < orows; row++, r++) {
        char cells[3 * TUI_OLED_W + 1];
        tui_oled_row(cells, sizeof cells, mode, row, tui_pixel, s);
        snprintf(sc->line[r], TUI_LINE, "\u2502\x1b[97;40m%s\x1b[0m\u2502", cells);
    }
    tui_rule(sc->line[r++], "\u2514", ocols, "\u2518");
    char status[256];
    tui_status_line(status, sizeof status, &shown, sc->cols - 2);
    snprintf(sc->line[l.status_row], TUI_LINE, "%s\u25cf\x1b[0m %s", st->led ? "\x1b[92m" : "\x1b[90m", status);
    snprintf(sc->line[l.console_row], TUI_LINE, "\x1b[2mconsole (USART2)\x1b[0m");
    r = l.console_row + 1;

    enum { MAX_CONSOLE = TUI_MAX_ROWS };
    const char *start[MAX_CONSOLE];
    size_t length[MAX_CONSOLE];
    size_t len = 0;
    const char *text = qsim_console(s, &len);
    int n = tui_console_tail(text, len, l.console_rows - 1, start, length);
    for (int i = 0; i < n; i++)
        tui_console_line(sc->line[r++], TUI_LINE, start[i], length[i], sc->cols);
    if (l.pane_shown)
        tui_build_pane(sc, &l, pane, pane_title);
}

static void tui_flush(struct tui_screen *sc)
{
    for (int r = 0; r < sc->rows; r++) {
        if (strcmp(sc->line[r], sc->shown[r]) == 0)
            continue;
        printf("\x1b[%d;1H%s\x1b[0m\x1b[K", r + 1, sc->line[r]);
        memcpy(sc->shown[r], sc->line[r], strlen(sc->line[r]) + 1);
    }
    fflush(stdout);
}

int tui_run(struct qsim *s, const char *firmware, uint64_t until_ns, struct gdb_server *gdb,
            struct tui_pane *pane, const char *pane_title)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return -ENOTTY;
    struct tui_screen sc = { 0 };
    sc.line = calloc(TUI_MAX_ROWS, sizeof *sc.line);
    sc.shown = calloc(TUI_MAX_ROWS, sizeof *sc.shown);
    static char outbuf[1 << 16];
    if (!sc.line || !sc.shown || setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf) != 0) {
        free(sc.line);
        free(sc.shown);
        return -ENOMEM;
    }
    int rc = tui_enter();
    if (rc) {
        free(sc.line);
        free(sc.shown);
        return rc;
    }
    tui_size(&sc);
    const char *name = strrchr(firmware, '/') ? strrchr(firmware, '/') + 1 : firmware;

    struct tui_status st = { .speed = -1, .wfi_share = -1 };
    uint64_t anchor_wall = tui_wall_ns(), anchor_virtual = qsim_time_ns(s);
    uint64_t win_wall = anchor_wall, win_virtual = anchor_virtual;
    uint64_t win_cycles = qsim_cycles(s), win_sleep = qsim_sleep_cycles(s);
    uint64_t next_frame = anchor_wall;
    bool quit = false;

    while (!quit && !tui_quit_signal) {
        uint64_t now = tui_wall_ns();
        int timeout_ms = now >= next_frame ? 0 : (int)((next_frame - now) / 1000000u);
        struct pollfd pfd[2] = { { .fd = STDIN_FILENO, .events = POLLIN }, { .fd = -1, .events = POLLIN } };
        if (gdb)
            pfd[1].fd = gdb_server_fd(gdb); /* GDB's packets are answered at once, not per frame */
        if (poll(pfd, 2, timeout_ms) > 0 && gdb && (pfd[1].revents & (POLLIN | POLLHUP)) &&
            gdb_server_poll(gdb, 0) == GDB_KILLED)
            quit = true;
        if (pfd[0].revents & POLLIN) {
            char keys[32];
            ssize_t n = read(STDIN_FILENO, keys, sizeof keys);
            if (n == 0)
                quit = true; /* the terminal went away */
            for (ssize_t i = 0; i < n; i++) {
                char k = keys[i];
                if (k == '\t') {
                    st.console_keys = !st.console_keys; /* Tab: keys to the console or to the board */
                } else if (st.console_keys) {
                    qsim_rx_at(s, &keys[i], 1, qsim_time_ns(s)); /* typed into USART2's RX */
                } else if (k == 'q' || k == 'Q' || k == 3 /* Ctrl-C without ISIG */) {
                    quit = true;
                } else if (k == ' ' && !st.locked_up && !st.stopped) {
                    qsim_press_at(s, qsim_time_ns(s), TUI_PRESS_NS);
                } else if (k == 'r' || k == 'R') {
                    qsim_reset(s);
                    st.locked_up = st.stopped = false;
                    st.speed = st.wfi_share = -1;
                    anchor_wall = win_wall = tui_wall_ns();
                    anchor_virtual = win_virtual = qsim_time_ns(s);
                    win_cycles = qsim_cycles(s);
                    win_sleep = qsim_sleep_cycles(s);
                }
            }
        }
        if (tui_resized) {
            tui_resized = 0;
            tui_size(&sc);
        }
        now = tui_wall_ns();
        if (now < next_frame)
            continue;
        next_frame = now + TUI_FRAME_NS;

        if (qsim_time_ns(s) < win_virtual || qsim_cycles(s) < win_cycles) {
            /* The firmware reset the board (AIRCR.SYSRESETREQ): time restarted. */
            anchor_wall = win_wall = now;
            anchor_virtual = win_virtual = qsim_time_ns(s);
            win_cycles = qsim_cycles(s);
            win_sleep = qsim_sleep_cycles(s);
        }
        uint64_t target = anchor_virtual + (now - anchor_wall);
        if (until_ns && target >= until_ns) {
            target = until_ns;
            st.stopped = true;
        }
        uint64_t before = qsim_time_ns(s);
        st.gdb_halted = gdb && gdb_server_poll(gdb, 0) == GDB_HALTED;
        if (gdb && gdb_server_ended(gdb))
            quit = true;
        if (!st.locked_up && !st.gdb_halted && target > before) {
            int rc = gdb ? gdb_server_run(gdb, target, tui_time_went_back, &before)
                         : qsim_run_until(s, target, tui_time_went_back, &before);
            st.locked_up = rc == -EFAULT;
            st.gdb_halted = gdb && gdb_server_poll(gdb, 0) == GDB_HALTED;
        }
        uint64_t reached = qsim_time_ns(s);
        if (!st.locked_up && !st.stopped && reached + TUI_MAX_LAG_NS < target) {
            anchor_wall = tui_wall_ns(); /* slower than real time: do not try to catch up */
            anchor_virtual = reached;
        }
        if (st.locked_up || st.stopped || st.gdb_halted) {
            anchor_wall = now; /* time stands still until a reset */
            anchor_virtual = reached;
        }

        uint64_t cycles = qsim_cycles(s), sleep = qsim_sleep_cycles(s);
        if (reached < win_virtual || cycles < win_cycles || sleep < win_sleep) {
            win_wall = now; /* reset during this frame: start a new window */
            win_virtual = reached;
            win_cycles = cycles;
            win_sleep = sleep;
        } else if (now - win_wall >= 1000000000ull) {
            st.speed = (double)(reached - win_virtual) / (double)(now - win_wall);
            st.wfi_share = cycles > win_cycles ? (double)(sleep - win_sleep) / (double)(cycles - win_cycles) : -1;
            win_wall = now;
            win_virtual = reached;
            win_cycles = cycles;
            win_sleep = sleep;
        }
        st.virtual_ns = reached;
        st.hclk_hz = qsim_hclk_hz(s);
        st.led = qsim_led(s);
        uint8_t id;
        st.env_shown = qsim_bme280_reg(s, 0xD0, &id) == 0; /* a BME280 answers its chip ID */
        if (st.env_shown)
            qsim_env_now(s, &st.env_t_mc, &st.env_p_mpa, &st.env_h_mpct);
        if (pane)
            tui_pane_poll(pane);
        tui_build(&sc, s, name, &st, pane, pane_title);
        tui_flush(&sc);
    }
    tui_restore();
    free(sc.line);
    free(sc.shown);
    return 0;
}
