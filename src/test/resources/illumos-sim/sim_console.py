"""illumos simulator (test code): the guest (user-data from the cdrom ISO) and zlogin -C."""
import os
import struct
import subprocess
import sys
import time

from sim_state import Fail, State, MAIN, attrs, zone_dir
from sim_zoneadm import power_off


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
                f.write('#!/bin/sh\nexec %s -S %s poweroff %s %d\n' % (sys.executable, MAIN, zone, boot))
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
