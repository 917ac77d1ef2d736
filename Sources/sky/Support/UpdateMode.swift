import ArgumentParser

/// `--mode` of `sky serve update` and `sky jobs pool apply`.
enum UpdateMode: String, CaseIterable, ExpressibleByArgument, Sendable {
    case rolling
    case blueGreen = "blue_green"
}
