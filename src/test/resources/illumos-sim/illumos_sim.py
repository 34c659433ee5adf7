#!/usr/bin/env python3
"""A simulator of the illumos commands the zones backend runs: zonecfg, zoneadm, zfs, dladm, zlogin.

Test code only. State lives in $ILLUMOS_SIM_STATE (state.json, guarded by an flock); every invocation is
appended to $ILLUMOS_SIM_STATE/commands.log as a JSON array [program, arg...]. It enforces the rules of the
real commands that the backend depends on (zone state machine, ZFS dependents, datalink names) and prints
the real output formats. Booting a zone "runs the guest": the user-data from the zone's cdrom ISO is run with
/bin/sh, its output goes to the zone console, and a fake poweroff on its PATH halts the zone.

Environment:
  ILLUMOS_SIM_STATE      state directory (required)
  ILLUMOS_SIM_ZVOL_ROOT  where volumes appear as device files (default $ILLUMOS_SIM_STATE/dev/zvol/rdsk)
  ILLUMOS_SIM_POOLS      pools that exist (default rpool)
  ILLUMOS_SIM_LINKS      physical datalinks (default igb0)
Failure injection (files in $ILLUMOS_SIM_STATE/inject, the file's text is the error printed):
  install-fails, boot-fails        the next zoneadm install / boot of any zone fails (the file is kept)
  shutdown-ignored                 guests ignore zoneadm shutdown (ACPI power button)
"""
import fcntl
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time

STATE_DIR = os.environ.get("ILLUMOS_SIM_STATE")
SIM_FILE = os.path.abspath(__file__)


class Fail(Exception):
    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- state

class State:
    def __enter__(self):
        os.makedirs(STATE_DIR, exist_ok=True)
        self.lock = open(os.path.join(STATE_DIR, "lock"), "a+")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        path = os.path.join(STATE_DIR, "state.json")
        if os.path.exists(path):
            with open(path) as f:
                self.data = json.load(f)
        else:
            self.data = {"zones": {}, "datasets": {}, "vnics": {}, "next_zone_id": 1}
        self.zones = self.data["zones"]
        self.datasets = self.data["datasets"]
        self.vnics = self.data["vnics"]
        return self

    def save(self):
        path = os.path.join(STATE_DIR, "state.json")
        with open(path + ".tmp", "w") as f:
            json.dump(self.data, f, indent=1)
        os.replace(path + ".tmp", path)

    def __exit__(self, *exc):
        fcntl.flock(self.lock, fcntl.LOCK_UN)
        self.lock.close()
        return False


def log_invocation(argv):
    os.makedirs(STATE_DIR, exist_ok=True)
    with open(os.path.join(STATE_DIR, "commands.log"), "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.write(json.dumps(argv) + "\n")


def injected(name):
    path = os.path.join(STATE_DIR, "inject", name)
    if os.path.exists(path):
        with open(path) as f:
            return f.read().strip() or name
    return None


def zone_dir(name):
    return os.path.join(STATE_DIR, "zones", name)


def zvol_root():
    return os.environ.get("ILLUMOS_SIM_ZVOL_ROOT") or os.path.join(STATE_DIR, "dev", "zvol", "rdsk")


def pools():
    return os.environ.get("ILLUMOS_SIM_POOLS", "rpool").split()


def physical_links():
    return os.environ.get("ILLUMOS_SIM_LINKS", "igb0").split()


# ---------------------------------------------------------------- zonecfg

ZONENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
GLOBAL_PROPS = {"zonepath", "brand", "autoboot", "ip-type", "bootargs", "pool", "limitpriv",
                "scheduling-class", "hostid", "fs-allowed"}
RESOURCE_PROPS = {
    "net": {"physical", "address", "allowed-address", "defrouter", "global-nic", "mac-addr", "vlan-id"},
    "device": {"match"},
    "attr": {"name", "type", "value"},
    "fs": {"dir", "special", "raw", "type"},
}
RESOURCE_REQUIRED = {"net": ["physical"], "device": ["match"], "attr": ["name", "type", "value"],
                     "fs": ["dir", "special", "type"]}
TOKEN = re.compile(r'\s*(?:"([^"\n]*)"|([^\s;=(),\[\]"]+)|(=)|(;))')


def tokenize(line, lineno):
    tokens, pos = [], 0
    line = line.rstrip("\n")
    while pos < len(line):
        if line[pos:].strip() == "" or line[pos:].lstrip().startswith("#"):
            break
        m = TOKEN.match(line, pos)
        if not m:
            raise Fail("On line %d:\nsyntax error at '%s'" % (lineno, line[pos:].strip()))
        if m.group(1) is not None:
            tokens.append(("word", m.group(1)))
        elif m.group(2) is not None:
            tokens.append(("word", m.group(2)))
        elif m.group(3):
            tokens.append(("eq", "="))
        else:
            tokens.append(("semi", ";"))
        pos = m.end()
    commands, current = [], []
    for t in tokens:
        if t[0] == "semi":
            if current:
                commands.append(current)
            current = []
        else:
            current.append(t)
    if current:
        commands.append(current)
    return commands


def parse_set(cmd, lineno):
    # set prop = value
    if len(cmd) != 4 or cmd[2][0] != "eq" or cmd[1][0] != "word" or cmd[3][0] != "word":
        raise Fail("On line %d:\nsyntax error: expected 'set property=value'" % lineno)
    return cmd[1][1], cmd[3][1]


def zonecfg_apply(st, zone, lines):
    existing = st.zones.get(zone)
    config = None if existing is None else json.loads(json.dumps(existing["config"]))
    resource = None
    committed = False
    for lineno, line in enumerate(lines, 1):
        for cmd in tokenize(line, lineno):
            words = [t[1] for t in cmd]
            verb = words[0]
            if verb == "create":
                if existing is not None:
                    raise Fail("On line %d:\nZone %s already exists; use 'delete' first." % (lineno, zone))
                if words[1:] != ["-b"]:
                    raise Fail("On line %d:\nsimulator: only 'create -b' is modelled, got %s" % (lineno, " ".join(words)))
                config = {"props": {}, "resources": []}
            elif config is None:
                raise Fail("%s: No such zone configured\nUse 'create' to begin configuring a new zone." % zone)
            elif verb == "set":
                prop, value = parse_set(cmd, lineno)
                if resource is None:
                    if prop not in GLOBAL_PROPS:
                        raise Fail("On line %d:\nUnknown property type %s." % (lineno, prop))
                    config["props"][prop] = value
                else:
                    if prop not in RESOURCE_PROPS[resource["type"]]:
                        raise Fail("On line %d:\nproperty %s is not valid for resource %s." % (lineno, prop, resource["type"]))
                    resource["props"][prop] = value
            elif verb == "add":
                if resource is None:
                    if len(words) != 2 or words[1] not in RESOURCE_PROPS:
                        raise Fail("On line %d:\nsimulator: unsupported resource in '%s'" % (lineno, " ".join(words)))
                    resource = {"type": words[1], "props": {}, "options": []}
                elif resource["type"] == "fs" and len(words) == 3 and words[1] == "options":
                    resource["options"].append(words[2])
                else:
                    raise Fail("On line %d:\nCannot add a resource while one is being edited (missing 'end')." % lineno)
            elif verb == "end":
                if resource is None:
                    raise Fail("On line %d:\nend: no resource is being edited." % lineno)
                for required in RESOURCE_REQUIRED[resource["type"]]:
                    if required not in resource["props"]:
                        raise Fail("On line %d:\n%s not specified" % (lineno, required))
                if resource["type"] == "attr" and resource["props"]["type"] not in ("int", "uint", "boolean", "string"):
                    raise Fail("On line %d:\ninvalid attr type %s" % (lineno, resource["props"]["type"]))
                config["resources"].append(resource)
                resource = None
            elif verb == "commit":
                if resource is not None:
                    raise Fail("On line %d:\ncommit: a %s resource is still open (missing 'end')." % (lineno, resource["type"]))
                validate_config(st, zone, config)
                committed = True
            elif verb == "exit":
                break
            else:
                raise Fail("On line %d:\nsimulator: unsupported zonecfg command '%s'" % (lineno, verb))
    if resource is not None:
        raise Fail("resource %s not ended" % resource["type"])
    if not committed:
        raise Fail("Configuration not saved (no commit).")
    if existing is None:
        st.zones[zone] = {"state": "configured", "config": config, "uuid": None, "id": "-", "boot": 0}
    else:
        existing["config"] = config


def validate_config(st, zone, config):
    props = config["props"]
    if "zonepath" not in props:
        raise Fail("zonepath cannot be empty.")
    if not props["zonepath"].startswith("/"):
        raise Fail("%s: zonepath must be an absolute path." % props["zonepath"])
    if props.get("brand") != "bhyve":
        raise Fail("simulator: only the bhyve brand is modelled (brand=%s)" % props.get("brand"))
    if props.get("ip-type") not in ("exclusive", None):
        raise Fail("bhyve zones need ip-type=exclusive")
    for other, z in st.zones.items():
        if other != zone and z["config"]["props"].get("zonepath") == props["zonepath"]:
            raise Fail("Zone %s already uses zonepath %s" % (other, props["zonepath"]))
    for r in config["resources"]:
        if r["type"] == "net" and props.get("ip-type") == "exclusive" and "address" in r["props"]:
            raise Fail("address cannot be set for an exclusive-IP zone")


def attrs(zone):
    return {r["props"]["name"]: r["props"]["value"] for r in zone["config"]["resources"] if r["type"] == "attr"}


def zonecfg(args):
    if len(args) < 3 or args[0] != "-z":
        raise Fail("usage: zonecfg -z zonename [-f file | subcommand]", 2)
    zone, rest = args[1], args[2:]
    if not ZONENAME.match(zone) or zone == "global" or zone.startswith("SUNW"):
        raise Fail("%s: illegal zone name" % zone)
    with State() as st:
        if rest[0] == "-f":
            with open(rest[1]) as f:
                zonecfg_apply(st, zone, f.readlines())
            st.save()
        elif rest[0] == "delete":
            if rest[1:] != ["-F"]:
                raise Fail("simulator: delete needs -F (no interactive confirmation)")
            z = st.zones.get(zone)
            if z is None:
                raise Fail("%s: No such zone configured" % zone)
            if z["state"] != "configured":
                raise Fail("Zone %s is in the %s state; uninstall it before deleting it." % (zone, z["state"]))
            del st.zones[zone]
            st.save()
        elif rest[0] == "info":
            z = st.zones.get(zone)
            if z is None:
                raise Fail("%s: No such zone configured" % zone)
            want = None
            if len(rest) >= 3 and rest[1] == "attr" and rest[2].startswith("name="):
                want = rest[2][len("name="):]
            elif len(rest) != 1 and rest[1:] != ["attr"]:
                raise Fail("simulator: only 'info' and 'info attr [name=...]' are modelled")
            if len(rest) == 1:
                for k, v in z["config"]["props"].items():
                    print("%s: %s" % (k, v))
            for r in z["config"]["resources"]:
                if r["type"] == "attr" and (want is None or r["props"]["name"] == want):
                    print("attr:\n\tname: %s\n\ttype: %s\n\tvalue: %s" % (
                        r["props"]["name"], r["props"]["type"], r["props"]["value"]))
        else:
            raise Fail("simulator: unsupported zonecfg subcommand %s" % rest[0])


# ---------------------------------------------------------------- zoneadm

def escape_field(value):
    return value.replace("\\", "\\\\").replace(":", "\\:")


def list_line(name, z):
    props = z["config"]["props"]
    return ":".join([z["id"], escape_field(name), z["state"], escape_field(props["zonepath"]),
                     z["uuid"] or "", props["brand"], "excl" if props.get("ip-type") == "exclusive" else "shared"])


def invalid(zone, op, state):
    return Fail("zoneadm: zone '%s': %s operation is invalid for %s zones." % (zone, op, state))


def kill_group(pid):
    if pid:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def power_off(st, z):
    """The VM is gone: the zone is back to installed; its guest processes are killed after the state is saved
    (the guest's own poweroff runs inside that process group)."""
    pid = z.get("guest_pid")
    z["state"] = "installed"
    z["id"] = "-"
    z["guest_pid"] = None
    st.save()
    kill_group(pid)


def check_bootable(st, zone, z):
    res = z["config"]["resources"]
    a = attrs(z)
    devices = [r["props"]["match"] for r in res if r["type"] == "device"]
    if "bootdisk" not in a:
        raise Fail("zoneadm: zone '%s': bhyve: no bootdisk attribute" % zone)
    disk = a["bootdisk"]
    if st.datasets.get(disk, {}).get("type") != "volume":
        raise Fail("zoneadm: zone '%s': bhyve: bootdisk %s is not a ZFS volume" % (zone, disk))
    if os.path.join(zvol_root(), disk) not in devices:
        raise Fail("zoneadm: zone '%s': bhyve: bootdisk %s is not mapped into the zone with a device resource" % (zone, disk))
    for d in devices:
        if not os.path.exists(d):
            raise Fail("zoneadm: zone '%s': device %s does not exist" % (zone, d))
    for key in ("vcpus", "ram"):
        if key in a and not re.match(r"^[0-9]+[KMGT]?$", a[key]):
            raise Fail("zoneadm: zone '%s': bhyve: invalid %s '%s'" % (zone, key, a[key]))
    if "cdrom" in a:
        iso = a["cdrom"]
        mapped = [r for r in res if r["type"] == "fs" and r["props"]["type"] == "lofs"
                  and r["props"]["special"] == iso and "ro" in r["options"]]
        if not mapped:
            raise Fail("zoneadm: zone '%s': bhyve: cdrom %s is not mapped into the zone with a read-only lofs fs" % (zone, iso))
        if not os.path.isfile(iso):
            raise Fail("zoneadm: zone '%s': fs special %s does not exist" % (zone, iso))
    for r in res:
        if r["type"] == "net":
            link = r["props"]["physical"]
            if link not in st.vnics:
                raise Fail("zoneadm: zone '%s': could not find link %s" % (zone, link))
            for other, oz in st.zones.items():
                if other != zone and oz["state"] == "running" and link in [
                        x["props"]["physical"] for x in oz["config"]["resources"] if x["type"] == "net"]:
                    raise Fail("zoneadm: zone '%s': link %s is in use by zone %s" % (zone, link, other))


def zoneadm(args):
    zone = None
    if len(args) >= 2 and args[0] == "-z":
        zone, args = args[1], args[2:]
    if not args:
        raise Fail("usage: zoneadm [-z zone] subcommand", 2)
    sub, opts = args[0], args[1:]
    with State() as st:
        if sub == "list":
            if zone is not None:
                if opts != ["-p"]:
                    raise Fail("simulator: only 'zoneadm -z NAME list -p' is modelled")
                z = st.zones.get(zone)
                if z is None:
                    raise Fail("zoneadm: %s: No such zone configured" % zone)
                print(list_line(zone, z))
                return
            if opts not in (["-cp"], ["-p"], ["-pc"]):
                raise Fail("simulator: only 'zoneadm list -cp' and 'list -p' are modelled")
            print("0:global:running:/::ipkg:shared")
            for name in sorted(st.zones, key=lambda n: (st.zones[n]["id"] == "-", n)):
                z = st.zones[name]
                if "c" in opts[0] or z["state"] == "running":
                    print(list_line(name, z))
            return
        if zone is None:
            raise Fail("zoneadm: no zone specified", 2)
        z = st.zones.get(zone)
        if z is None:
            raise Fail("zoneadm: %s: No such zone configured" % zone)
        state = z["state"]
        if sub == "install":
            if state != "configured":
                raise invalid(zone, "install", state)
            zonepath = z["config"]["props"]["zonepath"]
            if not os.path.isdir(os.path.dirname(zonepath)):
                raise Fail("zoneadm: zone '%s': the parent directory of %s does not exist" % (zone, zonepath))
            if os.path.exists(zonepath) and os.listdir(zonepath):
                raise Fail("zoneadm: zone '%s': zonepath %s exists and is not empty" % (zone, zonepath))
            os.makedirs(zonepath, mode=0o700, exist_ok=True)
            failure = injected("install-fails")
            if failure:
                z["state"] = "incomplete"
                st.save()
                raise Fail("zoneadm: zone '%s': %s" % (zone, failure))
            z["state"] = "installed"
            z["uuid"] = z["uuid"] or "%08x-0000-4000-8000-%012x" % (abs(hash(zone)) % (1 << 32), int(time.time() * 1000) % (1 << 48))
            st.save()
        elif sub == "boot":
            if state == "running":
                raise Fail("zoneadm: zone '%s': zone is already running." % zone)
            if state != "installed":
                raise invalid(zone, "boot", state)
            check_bootable(st, zone, z)
            failure = injected("boot-fails")
            if failure:
                raise Fail("zoneadm: zone '%s': %s" % (zone, failure))
            z["boot"] += 1
            z["state"] = "running"
            z["id"] = str(st.data["next_zone_id"])
            st.data["next_zone_id"] += 1
            os.makedirs(zone_dir(zone), exist_ok=True)
            console = open(os.path.join(zone_dir(zone), "console"), "wb")
            proc = subprocess.Popen([sys.executable, "-S", SIM_FILE, "guest", zone, str(z["boot"])],
                                    stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
                                    start_new_session=True, close_fds=True)
            console.close()
            z["guest_pid"] = proc.pid
            st.save()
        elif sub == "shutdown":
            if state != "running":
                raise invalid(zone, "shutdown", state)
            if not injected("shutdown-ignored"):
                with open(os.path.join(zone_dir(zone), "console"), "ab") as c:
                    c.write(b"\nguest: ACPI power button pressed, powering off\n")
                power_off(st, z)
        elif sub == "halt":
            if state not in ("running", "ready", "shutting_down", "down"):
                raise invalid(zone, "halt", state)
            power_off(st, z)
        elif sub == "uninstall":
            if opts != ["-F"]:
                raise Fail("simulator: uninstall needs -F (no interactive confirmation)")
            if state not in ("installed", "incomplete"):
                raise invalid(zone, "uninstall", state)
            shutil.rmtree(z["config"]["props"]["zonepath"], ignore_errors=True)
            z["state"] = "configured"
            st.save()
        else:
            raise Fail("simulator: unsupported zoneadm subcommand %s" % sub)


# ---------------------------------------------------------------- guest and console

def read_iso_file(iso, wanted):
    """A file from an ISO 9660 image by its Rock Ridge (or Joliet-less ISO) name; None if absent."""
    with open(iso, "rb") as f:
        data = f.read()
    pvd = data[16 * 2048:17 * 2048]
    if pvd[1:6] != b"CD001":
        raise ValueError("not an ISO 9660 image")
    volume_id = pvd[40:72].decode("ascii", "replace").strip()
    root = pvd[156:190]
    extent, size = struct.unpack("<I", root[2:6])[0], struct.unpack("<I", root[10:14])[0]
    pos, end = extent * 2048, extent * 2048 + size
    while pos < end:
        length = data[pos]
        if length == 0:
            pos = (pos // 2048 + 1) * 2048
            continue
        rec = data[pos:pos + length]
        name_len = rec[32]
        iso_name = rec[33:33 + name_len]
        su = rec[33 + name_len + (1 - name_len % 2):]
        names = [iso_name.decode("ascii", "replace").split(";")[0].lower()]
        i = 0
        while i + 4 <= len(su):
            sig, ln = su[i:i + 2], su[i + 2]
            if ln == 0:
                break
            if sig == b"NM":
                names.append(su[i + 5:i + ln].decode("utf-8", "replace"))
            i += ln
        if wanted in names:
            fext, fsize = struct.unpack("<I", rec[2:6])[0], struct.unpack("<I", rec[10:14])[0]
            return volume_id, data[fext * 2048:fext * 2048 + fsize]
        pos += length
    return volume_id, None


def guest(args):
    zone, boot = args[0], int(args[1])
    with State() as st:
        z = st.zones[zone]
        cdrom = attrs(z).get("cdrom")
    print("bhyve: zone %s booting (simulated guest)" % zone, flush=True)
    user_data = None
    if cdrom:
        volume_id, user_data = read_iso_file(cdrom, "user-data")
        _, meta = read_iso_file(cdrom, "meta-data")
        if volume_id != "cidata" or meta is None:
            print("cloud-init: %s is not a NoCloud seed (volume id %s)" % (cdrom, volume_id), flush=True)
            user_data = None
    if user_data is None:
        print("cloud-init: no NoCloud user-data found; idling", flush=True)
    else:
        bin_dir = os.path.join(zone_dir(zone), "bin")
        os.makedirs(bin_dir, exist_ok=True)
        for cmd in ("poweroff", "halt", "shutdown"):
            path = os.path.join(bin_dir, cmd)
            with open(path, "w") as f:
                f.write('#!/bin/sh\nexec %s -S %s poweroff %s %d\n' % (sys.executable, SIM_FILE, zone, boot))
            os.chmod(path, 0o755)
        script = os.path.join(zone_dir(zone), "user-data")
        with open(script, "wb") as f:
            f.write(user_data)
        env = dict(os.environ, PATH=bin_dir + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
        subprocess.call(["/bin/sh", script], env=env, stdin=subprocess.DEVNULL)
        print("guest: user-data ended without powering off", flush=True)
    while True:
        time.sleep(3600)


def guest_poweroff(args):
    zone, boot = args[0], int(args[1])
    sys.stdout.flush()
    with State() as st:
        z = st.zones.get(zone)
        if z is not None and z["state"] == "running" and z["boot"] == boot:
            power_off(st, z)


def zlogin(args):
    opts = [a for a in args if a.startswith("-")]
    names = [a for a in args if not a.startswith("-")]
    flags = set("".join(o[1:] for o in opts))
    if "C" not in flags or len(names) != 1 or not flags <= {"C", "E", "d"}:
        raise Fail("simulator: only 'zlogin -C [-E] [-d] zone' is modelled", 2)
    zone = names[0]
    with State() as st:
        z = st.zones.get(zone)
        if z is None:
            raise Fail("zlogin: %s: No such zone configured" % zone)
        if z["state"] not in ("installed", "running"):
            raise Fail("zlogin: zone '%s' is in the %s state; console not available" % (zone, z["state"]))
        # the boot this connection shows: the current one if the zone runs, else the next one
        wanted = z["boot"] if z["state"] == "running" else z["boot"] + 1
    out = sys.stdout.buffer
    out.write(b"[Connected to zone '%s' console]\n" % zone.encode())
    out.flush()
    offset, console = 0, os.path.join(zone_dir(zone), "console")
    while True:
        with State() as st:
            z = st.zones.get(zone)
            state = None if z is None else z["state"]
            current = None if z is None else z["boot"]
        if current is not None and current >= wanted and os.path.exists(console):
            with open(console, "rb") as c:
                c.seek(offset)
                chunk = c.read()
                offset += len(chunk)
                out.write(chunk)
                out.flush()
        if z is None:
            return 1
        if current >= wanted and (state != "running" or current != wanted):
            if "d" in flags:
                out.write(b"\n[Connection to zone '%s' console closed]\n" % zone.encode())
                out.flush()
                return 0
            wanted, offset = current + 1 if state != "running" else current, 0
        time.sleep(0.05)


# ---------------------------------------------------------------- zfs

DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*(@[A-Za-z0-9_.:-]+)?$")


def ds_type(st, name):
    if name in pools():
        return "filesystem"
    d = st.datasets.get(name)
    return None if d is None else d["type"]


def must_exist(st, name):
    if ds_type(st, name) is None:
        raise Fail("cannot open '%s': dataset does not exist" % name)


def parse_size(text):
    m = re.match(r"^([0-9]+)([KMGT]?)B?$", text, re.I)
    if not m:
        raise Fail("bad volume size '%s'" % text)
    return int(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}[m.group(2).upper()]


def snapdata(name):
    return os.path.join(STATE_DIR, "snapdata", name.replace("/", "%").replace("@", "#"))


def children(st, name):
    return sorted(n for n in st.datasets if n.startswith(name + "/") or n.startswith(name + "@"))


def device(name):
    return os.path.join(zvol_root(), name)


def busy(st, name):
    for zn, z in st.zones.items():
        if z["state"] == "running" and device(name) in [
                r["props"]["match"] for r in z["config"]["resources"] if r["type"] == "device"]:
            return zn
    return None


def zfs_create(st, args):
    parents, size, rest = False, None, list(args)
    while rest and rest[0].startswith("-"):
        opt = rest.pop(0)
        if opt == "-p":
            parents = True
        elif opt == "-V":
            size = parse_size(rest.pop(0))
        elif opt == "-s":
            pass
        else:
            raise Fail("simulator: unsupported zfs create option %s" % opt, 2)
    if len(rest) != 1 or not DATASET.match(rest[0]) or "@" in rest[0]:
        raise Fail("cannot create '%s': invalid dataset name" % " ".join(rest), 2)
    name = rest[0]
    if ds_type(st, name):
        raise Fail("cannot create '%s': dataset already exists" % name)
    parent = name.rsplit("/", 1)[0] if "/" in name else None
    if parent is None:
        raise Fail("cannot create '%s': missing dataset name" % name)
    if ds_type(st, parent) is None:
        if not parents:
            raise Fail("cannot create '%s': parent does not exist" % name)
        path = []
        for part in parent.split("/"):
            path.append(part)
            p = "/".join(path)
            if ds_type(st, p) is None:
                if len(path) == 1:
                    raise Fail("cannot create '%s': no such pool '%s'" % (name, p))
                st.datasets[p] = {"type": "filesystem"}
    if ds_type(st, parent) != "filesystem":
        raise Fail("cannot create '%s': parent is not a filesystem" % name)
    if size is None:
        st.datasets[name] = {"type": "filesystem"}
        return
    if size % 8192:
        raise Fail("cannot create '%s': volume size must be a multiple of volume block size" % name)
    st.datasets[name] = {"type": "volume", "volsize": size, "origin": "-"}
    os.makedirs(os.path.dirname(device(name)), exist_ok=True)
    with open(device(name), "wb") as f:
        f.truncate(size)


def zfs_destroy(st, args):
    flags = set()
    rest = list(args)
    while rest and rest[0].startswith("-"):
        flags |= set(rest.pop(0)[1:])
    if len(rest) != 1:
        raise Fail("usage: zfs destroy [-rR] dataset", 2)
    name = rest[0]
    must_exist(st, name)
    if name in pools():
        raise Fail("cannot destroy '%s': operation does not apply to pools" % name)
    targets = [name]
    if "@" in name:
        clones = sorted(n for n, d in st.datasets.items() if d.get("origin") == name)
        if clones and "R" not in flags:
            raise Fail("cannot destroy '%s': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\n%s"
                       % (name, "\n".join(clones)))
        targets += clones
    else:
        kids = children(st, name)
        if kids and not flags & {"r", "R"}:
            raise Fail("cannot destroy '%s': %s has children\nuse '-r' to destroy the following datasets:\n%s"
                       % (name, ds_type(st, name), "\n".join(kids)))
        targets += kids
        snaps = [k for k in targets if "@" in k]
        dependents = sorted(n for n, d in st.datasets.items() if d.get("origin") in snaps and n not in targets)
        if dependents and "R" not in flags:
            raise Fail("cannot destroy '%s': %s has dependent clones\nuse '-R' to destroy the following datasets:\n%s"
                       % (name, ds_type(st, name), "\n".join(dependents)))
        targets += dependents
    for t in targets:
        zone = busy(st, t)
        if zone:
            raise Fail("cannot destroy '%s': dataset is busy" % t)
    for t in sorted(set(targets), key=len, reverse=True):
        d = st.datasets.pop(t, None)
        if d and d["type"] == "volume" and os.path.exists(device(t)):
            os.remove(device(t))
        if d and d["type"] == "snapshot" and os.path.exists(snapdata(t)):
            os.remove(snapdata(t))


def zfs_props(st, name):
    d = st.datasets.get(name, {"type": "filesystem"})
    return {"name": name, "type": d["type"], "volsize": str(d.get("volsize", "-")), "origin": d.get("origin", "-")}


def zfs_list(st, args):
    header, fields, types, recurse, depth, names = True, ["name"], None, False, None, []
    rest = list(args)
    while rest:
        a = rest.pop(0)
        if a == "-H":
            header = False
        elif a == "-p":
            pass
        elif a == "-o":
            fields = rest.pop(0).split(",")
        elif a == "-t":
            types = rest.pop(0).split(",")
        elif a == "-r":
            recurse = True
        elif a == "-d":
            recurse, depth = True, int(rest.pop(0))
        elif a.startswith("-"):
            raise Fail("simulator: unsupported zfs list option %s" % a, 2)
        else:
            names.append(a)
    every = sorted(set(pools()) | set(st.datasets))
    rows = []
    for n in names or [p for p in pools()]:
        must_exist(st, n)
        selected = [n]
        if recurse or not names:
            selected += [c for c in every if c.startswith(n + "/") or c.startswith(n + "@")]
        for s in selected:
            level = s.count("/") + s.count("@") - n.count("/") - n.count("@")
            if depth is not None and level > depth:
                continue
            t = ds_type(st, s)
            if types is None and t == "snapshot" and s != n:
                continue
            if types is not None and t not in types and "all" not in types:
                if s == n:
                    raise Fail("cannot open '%s': operation not applicable to datasets of this type" % n)
                continue
            rows.append(s)
    if header:
        print("\t".join(f.upper() for f in fields))
    for r in rows:
        p = zfs_props(st, r)
        print("\t".join(p[f] for f in fields))


def zfs_get(st, args):
    rest, fields = list(args), ["name", "property", "value", "source"]
    while rest and rest[0].startswith("-"):
        opt = rest.pop(0)
        if "o" in opt:
            fields = rest.pop(0).split(",")
    if len(rest) < 2:
        raise Fail("usage: zfs get [-Hp] [-o field] property dataset", 2)
    props = rest[0].split(",")
    for name in rest[1:]:
        must_exist(st, name)
        p = zfs_props(st, name)
        for prop in props:
            if prop not in p:
                raise Fail("bad property list: invalid property '%s'" % prop)
            row = {"name": name, "property": prop, "value": p[prop], "source": "local" if prop == "volsize" else "-"}
            print("\t".join(row[f] for f in fields))


def zfs(args):
    if not args:
        raise Fail("usage: zfs command args ...", 2)
    sub, rest = args[0], args[1:]
    with State() as st:
        if sub == "create":
            zfs_create(st, rest)
        elif sub == "snapshot":
            if len(rest) != 1 or "@" not in rest[0] or not DATASET.match(rest[0]):
                raise Fail("usage: zfs snapshot dataset@snapname", 2)
            base = rest[0].split("@")[0]
            must_exist(st, base)
            if rest[0] in st.datasets:
                raise Fail("cannot create snapshot '%s': dataset already exists" % rest[0])
            st.datasets[rest[0]] = {"type": "snapshot", "origin": "-"}
            if ds_type(st, base) == "volume":
                st.datasets[rest[0]]["volsize"] = st.datasets[base]["volsize"]
                os.makedirs(os.path.dirname(snapdata(rest[0])), exist_ok=True)
                shutil.copyfile(device(base), snapdata(rest[0]))
        elif sub == "clone":
            if len(rest) != 2:
                raise Fail("usage: zfs clone snapshot filesystem|volume", 2)
            snap, target = rest
            if "@" not in snap:
                raise Fail("cannot open '%s': operation not applicable to datasets of this type" % snap)
            must_exist(st, snap)
            if ds_type(st, target):
                raise Fail("cannot create '%s': dataset already exists" % target)
            parent = target.rsplit("/", 1)[0]
            if ds_type(st, parent) != "filesystem":
                raise Fail("cannot create '%s': parent does not exist" % target)
            s = st.datasets[snap]
            if "volsize" in s:
                st.datasets[target] = {"type": "volume", "volsize": s["volsize"], "origin": snap}
                os.makedirs(os.path.dirname(device(target)), exist_ok=True)
                shutil.copyfile(snapdata(snap), device(target))
            else:
                st.datasets[target] = {"type": "filesystem", "origin": snap}
        elif sub == "destroy":
            zfs_destroy(st, rest)
        elif sub == "list":
            zfs_list(st, rest)
            return
        elif sub == "get":
            zfs_get(st, rest)
            return
        elif sub == "set":
            if len(rest) != 2 or not rest[0].startswith("volsize="):
                raise Fail("simulator: only 'zfs set volsize=N volume' is modelled")
            must_exist(st, rest[1])
            d = st.datasets[rest[1]]
            if d["type"] != "volume":
                raise Fail("cannot set property for '%s': 'volsize' does not apply to datasets of this type" % rest[1])
            size = parse_size(rest[0].split("=", 1)[1])
            if size % 8192:
                raise Fail("cannot set property for '%s': volsize must be a multiple of volume block size" % rest[1])
            d["volsize"] = size
            with open(device(rest[1]), "r+b") as f:
                f.truncate(size)
        else:
            raise Fail("simulator: unsupported zfs subcommand %s" % sub)
        st.save()


# ---------------------------------------------------------------- dladm

LINKNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{0,29}[0-9]$")


def dladm(args):
    if not args:
        raise Fail("usage: dladm subcommand", 2)
    sub, rest = args[0], args[1:]
    with State() as st:
        if sub in ("show-link", "show-vnic"):
            if rest[:3] != ["-p", "-o", "link"] or len(rest) > 4:
                raise Fail("simulator: only 'dladm %s -p -o link [link]' is modelled" % sub)
            known = list(st.vnics) if sub == "show-vnic" else physical_links() + list(st.vnics)
            if len(rest) == 4:
                if rest[3] not in known:
                    raise Fail("dladm: %s failed: object not found" % sub)
                print(rest[3])
            else:
                for link in known:
                    print(link)
        elif sub == "create-vnic":
            temporary = "-t" in rest
            rest = [a for a in rest if a != "-t"]
            if len(rest) != 3 or rest[0] != "-l":
                raise Fail("usage: dladm create-vnic [-t] -l link vnic-link", 2)
            link, vnic = rest[1], rest[2]
            if not LINKNAME.match(vnic):
                raise Fail("dladm: invalid link name '%s'" % vnic)
            if link not in physical_links():
                raise Fail("dladm: invalid link name '%s'" % link)
            if vnic in st.vnics or vnic in physical_links():
                raise Fail("dladm: vnic creation failed: object already exists")
            st.vnics[vnic] = {"over": link, "temporary": temporary}
            st.save()
        elif sub == "delete-vnic":
            rest = [a for a in rest if a != "-t"]
            if len(rest) != 1:
                raise Fail("usage: dladm delete-vnic [-t] vnic-link", 2)
            vnic = rest[0]
            if vnic not in st.vnics:
                raise Fail("dladm: vnic deletion failed: object not found")
            for zn, z in st.zones.items():
                if z["state"] == "running" and vnic in [
                        r["props"]["physical"] for r in z["config"]["resources"] if r["type"] == "net"]:
                    raise Fail("dladm: vnic deletion failed: link busy")
            del st.vnics[vnic]
            st.save()
        else:
            raise Fail("simulator: unsupported dladm subcommand %s" % sub)


# ---------------------------------------------------------------- main

PROGRAMS = {"zonecfg": zonecfg, "zoneadm": zoneadm, "zfs": zfs, "dladm": dladm, "zlogin": zlogin}
INTERNAL = {"guest": guest, "poweroff": guest_poweroff}


def main():
    if not STATE_DIR:
        sys.stderr.write("illumos simulator: ILLUMOS_SIM_STATE is not set\n")
        return 2
    program, args = sys.argv[1], sys.argv[2:]
    if program in INTERNAL:
        return INTERNAL[program](args) or 0
    log_invocation([program] + args)
    try:
        return PROGRAMS[program](args) or 0
    except Fail as e:
        sys.stdout.flush()
        sys.stderr.write(str(e) + "\n")
        return e.code


if __name__ == "__main__":
    sys.exit(main())
