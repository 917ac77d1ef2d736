import SkyCore

/// The SkyPilot config layers the engine reads (`SkyConfigLoader`): the user config
/// (`$SKY_HOME/config.yaml`, or the file `$SKYPILOT_CONFIG` / `$SKYPILOT_GLOBAL_CONFIG` names)
/// and the project config (`.sky.yaml` in the current directory), read on first use and at
/// most once per process.
extension SkyEngine {
    /// User + project config.
    package func skyConfig() throws(SkyConfigError) -> SkyConfig {
        try SkyConfigLoader.load(environment: environment, home: home)
    }

    /// What the backends get as `taskConfig`: the user + project config with the task's
    /// `config:` section on top (the task wins), as one mapping; nil when all are empty.
    package func layeredConfig(task config: JSONValue?) throws(SkyConfigError) -> JSONValue? {
        let merged = try skyConfig().overlaid(task: config)
        return merged.isEmpty ? nil : merged.value
    }
}
