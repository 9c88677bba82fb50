"""An independent verifier of dist/log/, written from C2SP tlog-tiles, signed-note and RFC 6962
in another language than the writer and sharing no code with it: every entry bundle, the tree
root, each served server.json against its entry, the verifier key's hash and the checkpoint's
Ed25519 signature (checked by openssl). Usage: verify-log.py DIST; exit 0 and "ok" when all hold."""
import base64, hashlib, json, os, subprocess, sys, tempfile
d = sys.argv[1] + '/log'
cp = open(d + '/checkpoint').read()
body, sigs = cp.split('\n\n', 1)
origin, size, root = body.split('\n')[:3]
size = int(size)
entries = []
n = 0
while n * 256 < size:
    w = min(256, size - n * 256)
    p = f'{d}/tile/entries/{n:03d}' + ('' if w == 256 else f'.p/{w}')
    b = open(p, 'rb').read(); i = 0
    while i < len(b):
        l = b[i] << 8 | b[i + 1]; entries.append(b[i + 2:i + 2 + l]); i += 2 + l
    n += 1
assert len(entries) == size
H = lambda *p: hashlib.sha256(b''.join(p)).digest()
def mth(xs):
    if len(xs) == 1: return xs[0]
    k = 1
    while k * 2 < len(xs): k *= 2
    return H(b'\x01', mth(xs[:k]), mth(xs[k:]))
leaves = [H(b'\x00', e) for e in entries]
assert base64.b64encode(mth(leaves)).decode() == root, 'the entries do not make the checkpoint root'
for e in entries:
    j = json.loads(e)
    if 'status' in j: continue
    ns, name = j['name'].split('/')
    f = open(f"{d}/servers/{ns}@{name}@{j['version']}.json", 'rb').read()
    assert hashlib.sha256(f).hexdigest() == j['sha256'], 'served file differs: ' + j['name'] + ' ' + j['version']
vkey = open(d + '/key').read().split('\n')[0]
kname, khash, kb64 = vkey.split('+', 2)
raw = base64.b64decode(kb64)[1:]
assert hashlib.sha256(kname.encode() + b'\n\x01' + raw).digest()[:4].hex() == khash
sig = base64.b64decode(sigs.strip().split(' ')[2])
assert sig[:4].hex() == khash
with tempfile.TemporaryDirectory() as t:
    der = bytes.fromhex('302a300506032b6570032100') + raw
    open(t + '/k.der', 'wb').write(der); open(t + '/m', 'wb').write((body + '\n').encode()); open(t + '/s', 'wb').write(sig[4:])
    r = subprocess.run(['openssl', 'pkeyutl', '-verify', '-pubin', '-keyform', 'DER', '-inkey', t + '/k.der', '-rawin', '-in', t + '/m', '-sigfile', t + '/s'], capture_output=True, text=True)
    assert r.returncode == 0, 'signature: ' + r.stdout + r.stderr
print('ok', origin, size)
