"""illumos simulator (test code): zonecfg, its command-file syntax and rules."""
import json
import re

from sim_state import Fail, State


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
