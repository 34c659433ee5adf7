"""illumos simulator (test code): dladm VNICs over physical links."""
import re

from sim_state import Fail, State, physical_links


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
