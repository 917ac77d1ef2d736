/// Why a measurement could not be taken.
enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case noFiles(String)
    case cannotRun(String)

    var description: String {
        switch self {
        case .usage(let why): "usage: \(why)"
        case .noFiles(let dir): "no .yaml/.yml files in \(dir); pass --yamls DIR"
        case .cannotRun(let why): why
        }
    }
}
