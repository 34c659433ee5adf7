"""illumos simulator (test code): zfs datasets, volumes, snapshots and clones."""
import os
import re
import shutil

from sim_state import Fail, State, STATE_DIR, device, pools


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
