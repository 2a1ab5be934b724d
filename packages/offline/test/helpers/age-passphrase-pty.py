# Runs `age -d -o OUT FILE` on a pseudo-terminal and types PASSPHRASE at its prompt: the age CLI reads passphrases from the terminal only.
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp('age', ['age', '-d', '-o', sys.argv[2], sys.argv[1]])
buf = b''
while b'passphrase' not in buf.lower():
    buf += os.read(fd, 1024)
os.write(fd, sys.argv[3].encode() + b'\n')
try:
    while os.read(fd, 1024): pass
except OSError: pass
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
