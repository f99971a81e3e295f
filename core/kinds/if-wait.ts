/**
 * Runs before a NOS's init: waits (up to 300 s) until the CLAB_INTFS links lab adds after the
 * container starts are all there, because cEOS only takes the interfaces present at boot.
 */
export const IF_WAIT = `#!/bin/sh
# Written by lab. Waits for the data interfaces lab creates right after the container starts.
want=\${CLAB_INTFS:-0}
count() {
  n=0
  for dev in /sys/class/net/*; do
    case \${dev##*/} in eth0) ;; eth[0-9]* | et[0-9]* | e[0-9]*) n=$((n + 1)) ;; esac
  done
  echo "$n"
}
waited=0
while [ "$(count)" -lt "$want" ] && [ "$waited" -lt 300 ]; do
  sleep 1
  waited=$((waited + 1))
done
echo "if-wait: $(count) of $want interfaces after \${waited}s"
`;
