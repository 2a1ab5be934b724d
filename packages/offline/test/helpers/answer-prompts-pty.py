# Runs a command on a pseudo-terminal and answers its prompts in order, as people at the keyboard
# would: argv is ANSWERS_JSON COMMAND ARG..., ANSWERS_JSON a file holding [[prompt text, answer],
# ...]. Each answer is typed (then Enter) once its prompt text has appeared; if the command ends
# first, the answers left are not typed. Prints all the terminal showed and exits with the
# command's status. A prompt that never comes would hang the test: after a generous bound the
# command is killed and this exits 124, which fails it.
import json, os, pty, signal, sys
answers = json.load(open(sys.argv[1]))
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
shown = b''
def give_up(*_):
    os.kill(pid, signal.SIGKILL)
    sys.stdout.buffer.write(shown + b'\n[answer-prompts-pty: killed after waiting too long]\n')
    sys.exit(124)
signal.signal(signal.SIGALRM, give_up)
signal.alarm(300)
def read_more():
    global shown
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        chunk = b''
    shown += chunk
    return len(chunk) > 0
start = 0
ended = False
for prompt, answer in answers:
    while not ended and shown.find(prompt.encode(), start) < 0:
        ended = not read_more()
    if ended:
        break
    start = shown.find(prompt.encode(), start) + len(prompt.encode())
    os.write(fd, answer.encode() + b'\r')
while read_more():
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
