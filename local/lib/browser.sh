# shellcheck shell=bash
# Debian's Chromium and its driver, for the dashboard's browser test. They are not on a new
# machine of this kind (FACTS.md), and test tools' own browser downloads cannot work here.

ensure_chromium() {
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] && return 0
    info "installing Debian's chromium and chromium-driver (browser test)"
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo -n)
    local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver)
    "${install[@]}" >/dev/null ||
        { "${sudo[@]}" apt-get update -q >/dev/null && "${install[@]}" >/dev/null; } ||
        die "could not install chromium and chromium-driver with apt-get; the browser test needs them"
}
