// The scripts `libvirt-hostdev completion SHELL` prints. Each asks `libvirt-hostdev __complete`
// (completion.ts) on every TAB and hands paths to the shell's own completion. zsh and fish ask with
// `--describe` and show each candidate's line (WORD, a tab, what it is) as the word beside its description.
import type { CompletionShell } from './commandSpecs';

// Bash splits the words it hands a completion function at `=` and `:` as well (COMP_WORDBREAKS), and
// replaces only the part after the last of them: the script passes the line up to the cursor instead of
// the words, and takes the typed text before that part off each candidate (`qemu:` of `qemu:///system`).
// With no candidate the shell completes file names (`-o default`), directory names for `:dir`, nothing
// for `:words`.
const BASH = `# libvirt-hostdev completion for bash. Load it in ~/.bashrc:
#   eval "$(libvirt-hostdev completion bash)"
# or save it as ~/.local/share/bash-completion/completions/libvirt-hostdev
_libvirt_hostdev() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local line=\${COMP_LINE:0:COMP_POINT}
  local typed=\${line##*[[:blank:]]}
  local strip=$(( \${#typed} - \${#cur} ))
  local -a reply=()
  local got
  while IFS= read -r got; do reply+=("$got"); done < <(libvirt-hostdev __complete --line "$line" 2>/dev/null)
  [ \${#reply[@]} -gt 0 ] || return 0
  local what=\${reply[\${#reply[@]}-1]}
  unset "reply[\${#reply[@]}-1]"
  COMPREPLY=()
  # compopt is bash 4's (macOS has 3.2, which completes file names when nothing matches)
  local options=:
  type compopt >/dev/null 2>&1 && options=compopt
  case $what in
    :file) return 0 ;;
    :dir) $options +o default -o dirnames; return 0 ;;
  esac
  $options +o default
  [ "$strip" -lt 0 ] && strip=0
  local word
  for word in "\${reply[@]}"; do COMPREPLY+=("\${word:strip}"); done
}
complete -o default -F _libvirt_hostdev libvirt-hostdev
`;

const ZSH = `#compdef libvirt-hostdev
# libvirt-hostdev completion for zsh. Load it in ~/.zshrc (after compinit):
#   eval "$(libvirt-hostdev completion zsh)"
# or save it as _libvirt-hostdev in a directory of $fpath
_libvirt_hostdev() {
  local -a reply described
  reply=("\${(@f)$(libvirt-hostdev __complete --describe -- "\${(@Q)words[2,CURRENT]}" 2>/dev/null)}")
  local what=\${reply[-1]}
  reply=("\${(@)reply[1,-2]}")
  case $what in
    :file) compset -P '--*='; _files ;;
    :dir) compset -P '--*='; _files -/ ;;
    *)
      # _describe reads WORD:DESCRIPTION, so a colon of the word is written \\:
      local got word
      for got in "\${reply[@]}"; do
        [[ -n $got ]] || continue
        word=\${got%%$'\\t'*}
        word=\${word//:/\\\\:}
        if [[ $got == *$'\\t'* ]]; then described+=("$word:\${got#*$'\\t'}"); else described+=("$word"); fi
      done
      (( \${#described} )) && _describe -t values 'libvirt-hostdev' described -Q ;;
  esac
}
if (( $+functions[compdef] )); then
  compdef _libvirt_hostdev libvirt-hostdev
fi
`;

const FISH = `# libvirt-hostdev completion for fish. Load it in ~/.config/fish/config.fish:
#   libvirt-hostdev completion fish | source
# or save it as ~/.config/fish/completions/libvirt-hostdev.fish
function __libvirt_hostdev_complete
    set -l token (commandline -ct)
    set -l words (commandline -opc)
    set -e words[1]
    set -l reply (libvirt-hostdev __complete --describe -- $words $token 2>/dev/null)
    test (count $reply) -gt 0; or return
    set -l what $reply[-1]
    set -e reply[-1]
    switch $what
        case :file :dir
            set -l prefix (string replace -r -- '^(--[^=]+=)?.*$' '$1' $token)
            set -l path (string replace -r -- '^--[^=]+=' '' $token)
            if test $what = :dir
                printf '%s\\n' $prefix(__fish_complete_directories $path | string replace -r -- '\\t.*' '')
            else
                printf '%s\\n' $prefix(__fish_complete_path $path)
            end
        case '*'
            printf '%s\\n' $reply
    end
end
complete -c libvirt-hostdev -f -a '(__libvirt_hostdev_complete)'
`;

export function completionScript(shell: CompletionShell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
