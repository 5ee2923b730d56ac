/**
 * Shell completion scripts (bash, zsh, fish) generated from the commander program itself, so a new
 * command or option completes without anyone editing a script. Completes commands, their options and
 * the fixed choices of options (`-o`, `--color`, …); file arguments fall back to the shell's own.
 */
import type { Command, Option } from "commander";

/** What completion needs of one command: its name, its long/short flags and their choices. */
interface Spec {
  name: string;
  flags: string[];
  choices: Record<string, readonly string[]>;
}

function specOf(cmd: Command): Spec {
  const flags: string[] = [];
  const choices: Record<string, readonly string[]> = {};
  for (const o of cmd.options as readonly Option[]) {
    for (const f of [o.long, o.short]) if (f) flags.push(f);
    if (o.argChoices) for (const f of [o.long, o.short]) if (f) choices[f] = o.argChoices;
  }
  return { name: cmd.name(), flags, choices };
}

function specs(program: Command): { global: Spec; commands: Spec[] } {
  const global = specOf(program);
  global.flags = [...new Set([...global.flags, "--help", "--version"])];
  return { global, commands: program.commands.map(specOf).map((s) => ({ ...s, flags: [...new Set([...s.flags, "--help"])] })) };
}

export type Shell = "bash" | "zsh" | "fish";

/** The completion script for `shell`. */
export function completionScript(program: Command, shell: Shell): string {
  const { global, commands } = specs(program);
  const bin = program.name();
  switch (shell) {
    case "bash":
    case "zsh":
      return bashScript(bin, global, commands, shell === "zsh");
    case "fish":
      return fishScript(bin, global, commands);
  }
}

function bashScript(bin: string, global: Spec, commands: Spec[], zsh: boolean): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9]/g, "_")}`;
  const allChoices = { ...global.choices, ...Object.assign({}, ...commands.map((c) => c.choices)) } as Record<string, readonly string[]>;
  const choiceCases = Object.entries(allChoices)
    .map(([flag, values]) => `    ${flag}) COMPREPLY=( $(compgen -W "${values.join(" ")}" -- "$cur") ); return ;;`)
    .join("\n");
  const cmdCases = commands.map((c) => `    ${c.name}) opts="${c.flags.join(" ")}" ;;`).join("\n");
  return [
    `# ${bin} completion for ${zsh ? "zsh (through bashcompinit)" : "bash"}: eval "$(${bin} completion ${zsh ? "zsh" : "bash"})"`,
    ...(zsh ? ["autoload -U +X bashcompinit && bashcompinit"] : []),
    `${fn}() {`,
    '  local cur prev cmd="" opts word',
    '  cur="${COMP_WORDS[COMP_CWORD]}"',
    '  prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  case "$prev" in',
    choiceCases,
    "  esac",
    '  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do',
    `    case "$word" in ${commands.map((c) => c.name).join("|")}) cmd="$word"; break ;; esac`,
    "  done",
    `  opts="${global.flags.join(" ")}"`,
    '  case "$cmd" in',
    `    "") opts="$opts ${commands.map((c) => c.name).join(" ")}" ;;`,
    cmdCases,
    "  esac",
    '  if [[ "$cur" == -* || -z "$cmd" ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); else COMPREPLY=( $(compgen -f -- "$cur") ); fi',
    "}",
    `complete -o default -F ${fn} ${bin}`,
    "",
  ].join("\n");
}

function fishScript(bin: string, global: Spec, commands: Spec[]): string {
  const names = commands.map((c) => c.name).join(" ");
  const line = (cond: string, flag: string, choices?: readonly string[]) => {
    const arg = flag.startsWith("--") ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
    return `complete -c ${bin}${cond} ${arg}${choices ? ` -x -a "${choices.join(" ")}"` : ""}`;
  };
  return [
    `# ${bin} completion for fish: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish`,
    `complete -c ${bin} -n "not __fish_seen_subcommand_from ${names}" -f -a "${names}"`,
    ...global.flags.map((f) => line("", f, global.choices[f])),
    ...commands.flatMap((c) => c.flags.filter((f) => !global.flags.includes(f)).map((f) => line(` -n "__fish_seen_subcommand_from ${c.name}"`, f, c.choices[f]))),
    "",
  ].join("\n");
}
