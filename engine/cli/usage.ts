/** Usage text: the overview (`help`) and one page per command (`help run`, `run --help`). */
const PREFIX = 'npm run sim --';

export const COMMAND_NAMES = [
  'run',
  'verify',
  'keys',
  'presets',
  'inspect',
  'export-flink',
  'help',
  'link',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const OVERVIEW = `Checkpoint Lab — headless runner of the Flink simulator

Usage: ${PREFIX} <command> [options]

Commands:
  run <preset-id | file.json>    run a scenario to a virtual time and print the outcome
  verify <preset-id | file.json> compare runs with random faults against failure-free runs, seed by seed
  keys --parallelism P <key>...  show the hashCode, key group and subtask Flink gives each key
  presets                        list the built-in scenarios
  link <preset-id | file.json>   print a shareable link to a run (run '<link>' replays one)
  inspect <file.json>            counts, latest checkpoint and summary of a saved Flink /checkpoints response
  export-flink <scenario> --out <dir>  write the scenario as Flink SQL + config.yaml for a real cluster
  help [command]                 this text, or the options of one command

Examples:
  ${PREFIX} presets
  ${PREFIX} run click-count --until 30s
  ${PREFIX} run click-count --seed 7 --set execution.checkpointing.interval=5s --fault 20s:kill-taskmanager:tm-1
  ${PREFIX} run my-scenario.json --until "2 min" --json
  ${PREFIX} verify click-count --seeds 1-200 --faults random
  ${PREFIX} keys --parallelism 2 /help /index /shop
  ${PREFIX} link click-count --seed 7 --fault 12s:kill-taskmanager:tm-1 --at 30s
  ${PREFIX} run 'http://localhost:5173/#l=AQI...'
  ${PREFIX} inspect checkpoints.json --json
  ${PREFIX} export-flink click-count --out flink-job
`;

const VERIFY = `Usage: ${PREFIX} verify <preset-id | file.json> [--seeds <from>-<to>] [--faults random|none] [options]

For each seed: runs the scenario failure-free and again with a seeded random fault schedule (1-3 faults:
fail-task, kill-taskmanager, fail-checkpoint-storage, slow-task, stall-channel), both on bounded inputs so both
runs finish, then compares every sink's committed output. Exactly-once and idempotent sinks must match exactly
(as a multiset); at-least-once sinks must contain every reference record (duplicates allowed, and counted).
Prints one line per seed, then the speed ("<n> seed(s) in <t> s: <r> seeds/s (<w> worker thread(s))") and
"N passed, M failed"; exit code 1 if any seed failed (naming the seed and the first differing record).

Options:
  --seeds <from>-<to>                seeds to check (default 1-20)
  --faults random|none               the fault schedule (default random)
  --input <duration>                 input per topic, in seconds of its generator's rate (default 20s)
  --input-skew <fraction>            shorten each topic's input by a seeded 0..fraction (0-0.9): inputs finish
                                     at different times
  --workers <N>                      worker threads (default one per core; 0 = this thread)
  --reference shared|per-seed        seeds reading identical input share one failure-free run (default shared)
  --action <at>:<kind>[,drain=true]  a user action (checkpoint, savepoint, stop-with-savepoint), as for run
  --set <key>=<value>, --unset <key>, --op <operatorId>.<field>=<value>   edits, as for run
  --json                             print the report as one JSON object (the summary line goes to stderr)

Examples:
  ${PREFIX} verify click-count --seeds 1-200
  ${PREFIX} verify rolling-sum --seeds 1-50 --set execution.checkpointing.mode=AT_LEAST_ONCE
  ${PREFIX} verify rolling-sum --seeds 1-5 --unset execution.checkpointing.interval --op numbers.startingOffsets=latest --set restart-strategy.type=fixed-delay --set restart-strategy.fixed-delay.attempts=10
`;

const RUN = `Usage: ${PREFIX} run <preset-id | file.json | link> [options]

Loads a preset (see "presets") or a scenario JSON file, applies the edits below to its raw JSON, validates it,
runs it to a virtual time (stopping early if the job ends) and prints a summary.

A shared link (a full URL with #l=..., the "#l=..." part or the bare payload; quote it) is a whole run: its
scenario, seed, actions and restarts are replayed to its moment, and the trace hash is the one the browser
shows. With a link only --until (instead of the link's moment) and --json apply; a bad link exits 2.

Options:
  --seed <N>                         override the scenario's seed
  --until <duration>                 virtual time to run to, a Flink duration ("60s", "2 min", "500 ms";
                                     a bare number is milliseconds); default 60s
  --set <key>=<value>                set a Flink config key, e.g. execution.checkpointing.interval=5s
                                     (replaces any other spelling of the same key; repeatable)
  --unset <key>                      remove a config key under every spelling, so Flink's default applies
  --op <operatorId>.<field>=<value>  set an operator field, e.g. counter.parallelism=3; numbers, true,
                                     false, null and JSON [..]/{..}/"..." are parsed, the rest is a string
  --fault <at>:<kind>:<target>       add a fault, e.g. 20s:kill-taskmanager:tm-0 or, with extra fields,
                                     10s:slow-task:counter#0,factor=10,duration=5s (repeatable)
  --action <at>:<kind>[,drain=true]  add a user action at a virtual time: checkpoint, savepoint or
                                     stop-with-savepoint (drain=true sends MAX_WATERMARK first, firing every
                                     window), e.g. 12s:savepoint, 30s:stop-with-savepoint,drain=true (repeatable)
  --json                             print engine.result() as one JSON object and nothing else on stdout

Edits apply in command-line order. Exit codes: 0 ok, 1 the job FAILED or the run broke, 2 usage or
scenario errors (each printed as "path: message"; at most 10, then "... and N more"). Control characters in
scenario text are printed escaped (\u001b), never sent raw to the terminal.

Examples:
  ${PREFIX} run click-count --until 20s --json
  ${PREFIX} run click-count --op counter.parallelism=3 --unset execution.checkpointing.interval
  ${PREFIX} run click-count --action 12s:savepoint --action 30s:stop-with-savepoint,drain=true
`;

const KEYS = `Usage: ${PREFIX} keys --parallelism <P> [--max-parallelism <N>] [--type string|int|long] [--json] <key>...

For each key: its Java hashCode, its key group (murmurHash(hashCode) % maxParallelism) and the subtask that
owns it (keyGroup * P / maxParallelism), exactly as Flink computes them.

Options:
  --parallelism <P>       parallelism of the keyed operator (1..32768), required
  --max-parallelism <N>   max parallelism (P..32768); default: Flink's default for P (128 up to P = 85)
  --type <type>           key type: string (default), int (32-bit) or long (a safe integer)
  --json                  print {maxParallelism, parallelism, keys: [{key, type, hashCode, keyGroup, subtask}]}

Examples:
  ${PREFIX} keys --parallelism 2 /help /index /shop /jobs /about /news
  ${PREFIX} keys --parallelism 3 --max-parallelism 4096 --type int -- -1 0 42
`;

const LINK = `Usage: ${PREFIX} link <preset-id | file.json> [options]

Prints a link that opens the run in the browser at a moment: the scenario document (with the edits below
applied), its seed, and the playhead. Open it in the lab, or replay it here with: run '<link>'.

Options:
  --at <duration>                    the moment the link opens at (default 20s)
  --seed <N>                         override the scenario's seed
  --fault <at>:<kind>:<target>       add a fault, as for run (repeatable)
  --action <at>:<kind>[,drain=true]  add a user action, as for run (repeatable)
  --set <key>=<value>, --unset <key>, --op <operatorId>.<field>=<value>   edits, as for run
  --base <url>                       the lab's address (default http://localhost:5173/)

Links are at most 32,768 characters after "#l=" and unpack to at most 1 MB. Exit 2 for a scenario error.

Examples:
  ${PREFIX} link click-count --at 30s
  ${PREFIX} link my-scenario.json --seed 7 --fault 12s:kill-taskmanager:tm-1 --action 20s:savepoint --at 40s
`;

const PRESETS = `Usage: ${PREFIX} presets

Lists the built-in scenarios, one a line: <id>  <name> — <description>. Run one with "run <id>".
`;

const INSPECT = `Usage: ${PREFIX} inspect <file.json> [--json]

Reads the saved JSON of a real Flink cluster's GET /jobs/:jobid/checkpoints (Flink 1.14 "@class" or 1.15+
"className" shape) and prints its counts, the latest completed checkpoint and the summary (min, avg, max, p50,
p99). --json prints {shape, counts, latestCompleted, latestSavepoint, latestFailed, restored, summary, history}.
Exit code 2 for a file that is not such a response, with a message naming the field (e.g. history[0].status).

Example:
  curl http://jobmanager:8081/jobs/<jobid>/checkpoints > checkpoints.json
  ${PREFIX} inspect checkpoints.json
`;

const EXPORT_FLINK = `Usage: ${PREFIX} export-flink <preset-id | file.json> --out <dir> [--json]

Writes the scenario as files for a real Flink 1.20 cluster: job.sql (Kafka CREATE TABLEs for sources and sinks,
with connection options to fill in, and the query with the same keyBy, TUMBLE/HOP windows and aggregates),
config.yaml (checkpointing, state backend, checkpoint storage, restart strategy, parallelism) and, for operators
SQL cannot express (the keyed process function), a commented DataStream API Java skeleton.
--json prints {scenario, out, files: [{name, bytes, description}], dataStreamOperators}.

Example:
  ${PREFIX} export-flink click-count --out flink-job
`;

const HELP = `Usage: ${PREFIX} help [command]

Prints the overview, or the options of one command (${COMMAND_NAMES.join(', ')}).
`;

export function usageText(command?: string): string {
  switch (command) {
    case 'run':
      return RUN;
    case 'verify':
      return VERIFY;
    case 'keys':
      return KEYS;
    case 'presets':
      return PRESETS;
    case 'link':
      return LINK;
    case 'inspect':
      return INSPECT;
    case 'export-flink':
      return EXPORT_FLINK;
    case 'help':
      return HELP;
    default:
      return OVERVIEW;
  }
}
