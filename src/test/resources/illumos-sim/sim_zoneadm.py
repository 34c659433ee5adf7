"""illumos simulator (test code): zoneadm, the zone state machine, booting a guest."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

from sim_state import Fail, State, MAIN, attrs, injected, zone_dir, zvol_root


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
            proc = subprocess.Popen([sys.executable, "-S", MAIN, "guest", zone, str(z["boot"])],
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
