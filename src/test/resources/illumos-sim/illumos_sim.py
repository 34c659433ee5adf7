#!/usr/bin/env python3
"""A simulator of the illumos commands the zones backend runs: zonecfg, zoneadm, zfs, dladm, zlogin.

Test code only. State lives in $ILLUMOS_SIM_STATE (state.json, guarded by an flock); every invocation is
appended to $ILLUMOS_SIM_STATE/commands.log as a JSON array [program, arg...]. It enforces the rules of the
real commands that the backend depends on (zone state machine, ZFS dependents, datalink names) and prints
the real output formats. Booting a zone "runs the guest": the user-data from the zone's cdrom ISO is run with
/bin/sh, its output goes to the zone console, and a fake poweroff on its PATH halts the zone.

One module per program: sim_zonecfg, sim_zoneadm, sim_zfs, sim_dladm, sim_console (guest and zlogin), all
sharing sim_state.

Environment:
  ILLUMOS_SIM_STATE      state directory (required)
  ILLUMOS_SIM_ZVOL_ROOT  where volumes appear as device files (default $ILLUMOS_SIM_STATE/dev/zvol/rdsk)
  ILLUMOS_SIM_POOLS      pools that exist (default rpool)
  ILLUMOS_SIM_LINKS      physical datalinks (default igb0)
Failure injection (files in $ILLUMOS_SIM_STATE/inject, the file's text is the error printed):
  install-fails, boot-fails        the next zoneadm install / boot of any zone fails (the file is kept)
  shutdown-ignored                 guests ignore zoneadm shutdown (ACPI power button)
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the simulator
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sim_console import guest, guest_poweroff, zlogin  # noqa: E402
from sim_dladm import dladm  # noqa: E402
from sim_state import STATE_DIR, Fail, log_invocation  # noqa: E402
from sim_zfs import zfs  # noqa: E402
from sim_zoneadm import zoneadm  # noqa: E402
from sim_zonecfg import zonecfg  # noqa: E402


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
