"""
Runs a command on a pseudo-terminal as an operator who types ahead: 150 ms after the terminal
stops echoing (noting whether a prompt was there by then) it types TYPED_AHEAD; at
"New password: " the rest of the password and Enter, at "Repeat it: " the whole password and
Enter. Prints one JSON object: what the terminal showed, whether the prompt had appeared by
then, when the echo went off (ms after the start) and the exit status. Used by test/integration/users-cli.test.ts (python's pty module:
Node has no pseudo-terminal of its own).

usage: python3 typed-ahead.py TYPED_AHEAD REST -- COMMAND...
"""
import json
import os
import pty
import select
import sys
import termios
import time

typed_ahead, rest = sys.argv[1], sys.argv[2]
command = sys.argv[sys.argv.index("--") + 1 :]

pid, master = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

shown = b""
started = time.monotonic()


def read_some(timeout):
    global shown
    ready, _, _ = select.select([master], [], [], timeout)
    if not ready:
        return True
    try:
        chunk = os.read(master, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    shown += chunk
    return True


def echoing():
    return bool(termios.tcgetattr(master)[3] & termios.ECHO)


# 1. Wait until the terminal stops echoing (or the command ends, or 20 s).
alive = True
while alive and echoing() and time.monotonic() - started < 20:
    alive = read_some(0.005)
echo_off_ms = round((time.monotonic() - started) * 1000)
# What the command shows within 150 ms: a prompt there came with the echo going off (as
# readline's own raw mode does), not well before it.
settled = time.monotonic() + 0.15
while alive and time.monotonic() < settled:
    alive = read_some(max(0, settled - time.monotonic()))
prompt_before_echo_off = b"New password: " in shown
os.write(master, typed_ahead.encode())

# 2. The prompts.
answers = [(b"New password: ", rest + "\r"), (b"Repeat it: ", typed_ahead + rest + "\r")]
for prompt, answer in answers:
    while alive and prompt not in shown and time.monotonic() - started < 40:
        alive = read_some(0.05)
    if prompt in shown:
        os.write(master, answer.encode())

# 3. Until the command ends.
while alive and time.monotonic() - started < 60:
    alive = read_some(0.1)
_, status = os.waitpid(pid, 0)
print(
    json.dumps(
        {
            "shown": shown.decode("utf8", "replace"),
            "promptBeforeEchoOff": prompt_before_echo_off,
            "echoOffMs": echo_off_ms,
            "exitCode": os.waitstatus_to_exitcode(status),
        }
    )
)
