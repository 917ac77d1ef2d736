import Foundation

/// `sky-bench`: the in-process measurements of scripts/bench.sh and a small command timer.
///
///   sky-bench validate-corpus [--yamls DIR] [--expected DIR] [--passes N]
///       loads + validates every corpus file in this process (TaskLoader.load(path:overrides:)
///       and the engine's resource checks, what `sky validate` does), with the `with_dummy_envs`
///       overrides the corpus tests use; prints `total_ms=… median_ms=… files=… valid=… invalid=…`
///       for the first (cold) pass and `warm_total_ms=…` (median of the other passes).
///   sky-bench time [--runs N] [--no-warmup] [--cpu] -- COMMAND...
///       prints the median wall time of N runs in ms (with `--cpu`, then the median CPU time,
///       user + system, of the command), or `n/a (reason)`. The command is started with
///       posix_spawn and reaped with wait4 (Foundation's `Process.waitUntilExit` polls every
///       50 ms and added ~40 ms to every figure).
///   sky-bench first-line [--match TEXT] -- COMMAND...
///       prints `first_ms=… total_ms=…`: spawn to the first stdout line containing TEXT (any line
///       when absent), and spawn to exit; or `n/a (reason)`.
var arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else {
    FileHandle.standardError.write(Data("usage: sky-bench validate-corpus|time|first-line ...\n".utf8))
    exit(2)
}
arguments.removeFirst()
do {
    switch mode {
    case "validate-corpus":
        try CorpusBench(arguments: arguments).run()
    case "time":
        try CommandTimer(arguments: arguments).runMedian()
    case "first-line":
        try CommandTimer(arguments: arguments).runFirstLine()
    default:
        throw BenchError.usage("unknown mode \(mode); use validate-corpus, time or first-line")
    }
} catch {
    print("n/a (\(error))")
    exit(1)
}
