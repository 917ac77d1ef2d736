import SkyCore

/// The SkyPilot config layers the engine reads (`SkyConfigLoader`): the user config
/// (`$SKY_HOME/config.yaml`, or the file `$SKYPILOT_CONFIG` / `$SKYPILOT_GLOBAL_CONFIG` names)
/// and the project config (`.sky.yaml` in the current directory), read on first use and at
/// most once per process; the CLI's `--config` / `-w` layer (`SkyConfigLoader.setCommandLine`)
/// goes on top of everything, the task's `config:` section under it (SkyPilot's priority:
/// CLI flag, task YAML, project, user).
extension SkyEngine {
    /// User + project config, with the command-line layer on top.
    package func skyConfig() throws(SkyConfigError) -> SkyConfig {
        try SkyConfigLoader.load(environment: environment, home: home)
            .overlaid(SkyConfigLoader.commandLineLayer(environment: environment))
    }

    /// What the backends get as `taskConfig`: user + project config, the task's `config:`
    /// section over them, the command line over all, as one mapping; nil when all are empty.
    package func layeredConfig(task config: JSONValue?) throws(SkyConfigError) -> JSONValue? {
        let merged = try SkyConfigLoader.load(environment: environment, home: home)
            .overlaid(task: config)
            .overlaid(SkyConfigLoader.commandLineLayer(environment: environment))
        return merged.isEmpty ? nil : merged.value
    }
}
