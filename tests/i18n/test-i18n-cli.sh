#!/bin/sh
# The programs speak the user's language, run from the build tree as the
# README runs them: shmview-ctl's help, messages and errors, and shmview's
# --help (which needs no display). Speaks TAP.
#   test-i18n-cli.sh SHMVIEW_CTL SHMVIEW_OR_EMPTY SAMPLE_PNG BUILD_LOCALEDIR
#
# Only C, C.UTF-8 and POSIX locales may exist, and gettext ignores LANGUAGE
# under C and POSIX: so LANG=C.UTF-8 with LANGUAGE picks the translation.
set -u
ctl=$1
app=$2
sample=$3
localedir=$4

unset LC_ALL LC_MESSAGES LANGUAGE SHMVIEW_LOCALEDIR
export LANG=C.UTF-8
key="test-$$-i18n"
tmp=$(mktemp -d)
cleanup() {
  "$ctl" rm -k "$key" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

n=0
failed=0
out="$tmp/out"
err="$tmp/err"

# run LANGUAGE PROGRAM ARGS...: output in $out and $err, exit status in $rc
run() {
  lang=$1
  shift
  if [ -n "$lang" ]; then
    LANGUAGE=$lang "$@" > "$out" 2> "$err"
  else
    "$@" > "$out" 2> "$err"
  fi
  rc=$?
}

# result NAME: "ok" when every check since the last result passed
fail_reason=""
check() { # check FILE TEXT: FILE contains TEXT (fixed string)
  grep -qF -- "$2" "$1" || fail_reason="$fail_reason
# expected in $(basename "$1"): $2"
}
check_rc() {
  [ "$rc" -eq "$1" ] || fail_reason="$fail_reason
# exit status $rc, expected $1"
}
result() {
  n=$((n + 1))
  if [ -z "$fail_reason" ]; then
    echo "ok $n $1"
  else
    echo "not ok $n $1$fail_reason"
    sed 's/^/# stdout: /' "$out"
    sed 's/^/# stderr: /' "$err"
    failed=$((failed + 1))
  fi
  fail_reason=""
}
skip() {
  n=$((n + 1))
  echo "ok $n $1 # SKIP $2"
}

run zh_CN "$ctl" --help
check_rc 0
check "$out" "通过共享内存在进程之间传递图像。"
check "$out" "命令："
check "$out" "--key=键名"
check "$out" "  1  用法错误：未知的命令或选项，缺少参数或参数过多"
result /i18n/ctl/help-speaks-zh_CN

run zh_TW "$ctl" --help
check_rc 0
check "$out" "透過共享記憶體在行程之間傳遞影像。"
check "$out" "結束狀態："
result /i18n/ctl/help-speaks-zh_TW

run de "$ctl" info -k "$key"
check_rc 2
check "$err" "shmview-ctl: Kanal „$key“ kann nicht geöffnet werden: Kein solcher Kanal"
result /i18n/ctl/missing-channel-error-speaks-de

# French puts a no-break space inside guillemets.
nbsp=$(printf '\302\240')
run fr "$ctl" bogus
check_rc 1
check "$err" "Commande inconnue «${nbsp}bogus${nbsp}»"
check "$err" "Essayez «${nbsp}shmview-ctl --help${nbsp}» pour plus d’informations."
result /i18n/ctl/usage-error-speaks-fr

run es "$ctl" watch --count 0
check_rc 1
check "$err" "--count necesita un número mayor que 0"
result /i18n/ctl/option-error-speaks-es

# The translation swaps the arguments (%2$s before %1$d).
run zh_CN "$ctl" watch -k "$key" --timeout 20
check_rc 5
check "$err" "等待通道“$key”出现，20 毫秒后超时"
result /i18n/ctl/timeout-reorders-arguments-in-zh_CN

run ja "$ctl" publish -k "$key" "$sample"
check_rc 0
check "$out" "をチャンネル「$key」に発行しました: "
# A generation is the channel's Nth frame: 第 N フレーム, as the catalogue
# calls every publish a new フレーム (not 世代, a product's generation).
check "$out" "第 1 フレーム"
result /i18n/ctl/publish-speaks-ja

run ja "$ctl" info -k "$key"
check_rc 0
check "$out" "キー:"
check "$out" "フレーム番号:"
check "$out" "書き込み側が動作中:"
result /i18n/ctl/info-speaks-ja

# A frame's number reads as a frame's number (帧序号), not a product
# generation (代).
run zh_CN "$ctl" info -k "$key"
check_rc 0
check "$out" "帧序号："
check "$out" "写入端运行中："
result /i18n/ctl/info-speaks-zh_CN

# JSON is for programs: keys and values stay as they are in every language.
run ja "$ctl" info --json -k "$key"
check_rc 0
check "$out" "\"key\""
check "$out" "\"generation\""
if [ "$(LC_ALL=C tr -d '\n\t -~' < "$out" | wc -c)" -ne 0 ]; then
  fail_reason="
# JSON output holds non-ASCII text"
fi
result /i18n/ctl/json-stays-untranslated

run ja "$ctl" rm -k "$key"
check_rc 0
check "$out" "チャンネル「$key」を削除しました。"
result /i18n/ctl/rm-speaks-ja

run "" "$ctl" --help
check_rc 0
check "$out" "Moves images between processes through shared memory."
result /i18n/ctl/english-without-LANGUAGE

# The build tree is found from where the program is, nothing compiled in: the
# same program copied out of the build tree no longer reads build/po.
G_MESSAGES_DEBUG=shmv-i18n run "" "$ctl" --version
check "$err" "translations from $(cd "$localedir" && pwd -P)"
result /i18n/ctl/build-tree-found-from-program
mkdir "$tmp/bin"
cp "$ctl" "$tmp/bin/shmview-ctl"
libdir=$(ldd "$ctl" | sed -n 's|.*libshmview[^ ]* => \(.*\)/[^/]*$|\1|p' | sed 's/ (.*//')
LD_LIBRARY_PATH="$libdir" G_MESSAGES_DEBUG=shmv-i18n run "" "$tmp/bin/shmview-ctl" --version
check "$err" "translations from /"
if grep -qF "$(cd "$localedir" && pwd -P)" "$err"; then
  fail_reason="$fail_reason
# a copy outside the build tree still reads the build tree's translations"
fi
result /i18n/ctl/copy-outside-build-tree-ignores-it

# SHMVIEW_LOCALEDIR wins over the build tree: an empty directory means English.
mkdir "$tmp/empty"
export SHMVIEW_LOCALEDIR="$tmp/empty"
run de "$ctl" bogus
check "$err" "Unknown command “bogus”"
export SHMVIEW_LOCALEDIR="$localedir"
run de "$ctl" bogus
check "$err" "Unbekannter Befehl „bogus“"
unset SHMVIEW_LOCALEDIR
result /i18n/ctl/SHMVIEW_LOCALEDIR-overrides-build-tree

if [ -n "$app" ]; then
  run ja "$app" --help
  check_rc 0
  check "$out" "書き込み側のウィンドウだけを開く (2 プロセスのデモの片側)"
  check "$out" "--key=キー"
  result /i18n/app/help-speaks-ja

  run zh_CN "$app" --help
  check_rc 0
  check "$out" "只打开写入端窗口（双进程演示中的一端）"
  result /i18n/app/help-speaks-zh_CN

  # As shmview-ctl says a usage error: the program, the mistake, where to look.
  run "" "$app" --bogus
  check_rc 1
  check "$err" "shmview: Unknown option --bogus"
  check "$err" "Try “shmview --help” for more information."
  run de "$app" --bogus
  check_rc 1
  check "$err" "shmview: Unbekannte Option --bogus"
  check "$err" "Versuchen Sie „shmview --help“ für weitere Informationen."
  result /i18n/app/unknown-option-names-program-and-help
else
  skip /i18n/app/help-speaks-ja "shmview not built (-Dgui=disabled)"
  skip /i18n/app/help-speaks-zh_CN "shmview not built (-Dgui=disabled)"
  skip /i18n/app/unknown-option-names-program-and-help "shmview not built (-Dgui=disabled)"
fi

echo "1..$n"
[ $failed -eq 0 ]
