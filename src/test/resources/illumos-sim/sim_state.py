"""illumos simulator (test code): state file, invocation log, fault injection, shared helpers."""
import fcntl
import json
import os


STATE_DIR = os.environ.get("ILLUMOS_SIM_STATE")
MAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "illumos_sim.py")


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



def attrs(zone):
    return {r["props"]["name"]: r["props"]["value"] for r in zone["config"]["resources"] if r["type"] == "attr"}


def device(name):
    return os.path.join(zvol_root(), name)
