package org.solstice.orchestrator.guest;

import java.util.regex.Pattern;

/**
 * The shell text that gives a job its defined environment inside the guest (docs/job-contract.md): it runs in the
 * bootstrap's job subshell, before the body, and
 * <ul>
 *   <li>finds the job's user in the passwd database (root works without an entry: HOME=/root); a user the image
 *       does not have ends the job with status {@value #SETUP_FAILED} and a line saying so;</li>
 *   <li>exports HOME, USER, LOGNAME and SHELL of that user, PATH, {@code CI=true}, and a UTF-8 locale when the
 *       image has one (C.UTF-8, else en_US.UTF-8);</li>
 *   <li>creates HOME when it is missing, and a fresh working directory under it, {@code SOLSTICE_WORKSPACE},
 *       owned by the user, and changes into it;</li>
 *   <li>runs the body, given in {@code $solstice_body}, as that user ({@code runuser}, else {@code setpriv}).</li>
 * </ul>
 * Only the job's subshell gets this environment: the bootstrap around it keeps the one it was started with.
 */
public final class JobEnvironment {
    /** The exit status of a job whose environment could not be set up (as env(1) does for "cannot run"). */
    public static final int SETUP_FAILED = 125;
    public static final String DEFAULT_USER = "root";
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The passwd lookup, one line (the host-run bootstrap test replaces it with an entry of its own). */
    public static final String LOOKUP = "solstice_entry=$( (getent passwd \"$solstice_user\" || grep \"^$solstice_user:\""
            + " /etc/passwd) 2>/dev/null | head -n 1)";
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private JobEnvironment() {
    }

    /** Whether {@code name} is a user name the image map accepts (portable POSIX user names, lower case). */
    public static boolean isUserName(String name) {
        return name != null && USER.matcher(name).matches();
    }

    /** The fragment for a job run as {@code user}; ends by exec-ing the body, or exiting {@value #SETUP_FAILED}. */
    static String render(String user) {
        if (!isUserName(user)) {
            throw new IllegalArgumentException("not a user name: " + user);
        }
        return """
                solstice_user=%1$s
                %2$s
                if [ -z "$solstice_entry" ] && [ "$solstice_user" = root ]; then
                    solstice_entry='root:x:0:0:root:/root:/bin/sh'
                fi
                if [ -z "$solstice_entry" ]; then
                    echo "solstice: the job's user '$solstice_user' does not exist in this image (image map: user)" >&2
                    exit %3$d
                fi
                solstice_field() { printf '%%s\\n' "$solstice_entry" | cut -d: -f"$1"; }
                solstice_uid=$(solstice_field 3)
                solstice_gid=$(solstice_field 4)
                HOME=$(solstice_field 6)
                SHELL=$(solstice_field 7)
                [ -n "$HOME" ] || HOME=/
                [ -n "$SHELL" ] || SHELL=/bin/sh
                USER=$solstice_user
                LOGNAME=$solstice_user
                export HOME SHELL USER LOGNAME
                export PATH='%4$s'
                export CI=true
                if locale -a 2>/dev/null | grep -qix 'c\\.utf-\\{0,1\\}8'; then
                    export LANG=C.UTF-8 LC_ALL=C.UTF-8
                elif locale -a 2>/dev/null | grep -qix 'en_us\\.utf-\\{0,1\\}8'; then
                    export LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8
                fi
                if [ ! -d "$HOME" ]; then
                    mkdir -p "$HOME" && chown "$solstice_uid:$solstice_gid" "$HOME" \\
                        || { echo "solstice: cannot create HOME $HOME for user '$USER'" >&2; exit %3$d; }
                fi
                SOLSTICE_WORKSPACE=$(mktemp -d "$HOME/solstice-job.XXXXXX") \\
                    && chown "$solstice_uid:$solstice_gid" "$SOLSTICE_WORKSPACE" \\
                    || { echo "solstice: cannot create a working directory under $HOME" >&2; exit %3$d; }
                export SOLSTICE_WORKSPACE
                cd "$SOLSTICE_WORKSPACE" || exit %3$d
                if [ "$solstice_uid" = "$(id -u 2>/dev/null || echo 0)" ]; then
                    exec /bin/sh -c "$solstice_body"
                elif command -v runuser >/dev/null 2>&1; then
                    exec runuser -u "$USER" -m -- /bin/sh -c "$solstice_body"
                elif command -v setpriv >/dev/null 2>&1; then
                    exec setpriv --reuid="$solstice_uid" --regid="$solstice_gid" --init-groups -- /bin/sh -c "$solstice_body"
                fi
                echo "solstice: cannot run the job as '$USER': the image has neither runuser nor setpriv" >&2
                exit %3$d
                """.formatted(ShellQuote.quote(user), LOOKUP, SETUP_FAILED, PATH);
    }
}
