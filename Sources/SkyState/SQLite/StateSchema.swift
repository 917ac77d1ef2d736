import GRDB

/// The SQLite schema of the state store, as a list of migrations.
///
/// Migrations only add: a database written by a newer Sky stays readable by an older one.
/// `version` is mirrored into `PRAGMA user_version` so that opening an up-to-date database
/// costs one pragma read instead of a walk over the migrations table.
enum StateSchema {
    /// Bump when a migration is appended.
    static let version = 1

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(sql: v1)
        }
        return migrator
    }

    private static let v1 = """
        CREATE TABLE clusters (
            name TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL,
            launched_at REAL NOT NULL,
            last_use TEXT NOT NULL DEFAULT '',
            autostop_minutes INTEGER NOT NULL DEFAULT -1,
            to_down BOOLEAN NOT NULL DEFAULT 0,
            owner TEXT,
            user_name TEXT NOT NULL DEFAULT '',
            user_hash TEXT NOT NULL DEFAULT '',
            cluster_hash TEXT NOT NULL,
            workspace TEXT NOT NULL DEFAULT 'default',
            cloud TEXT,
            region TEXT,
            zone TEXT,
            num_nodes INTEGER NOT NULL DEFAULT 1,
            cpus REAL,
            memory REAL,
            accelerators TEXT NOT NULL DEFAULT '{}',
            resources_string TEXT NOT NULL DEFAULT '',
            labels TEXT NOT NULL DEFAULT '{}',
            cluster_name_on_cloud TEXT,
            handle TEXT,
            last_creation_command TEXT,
            last_creation_yaml TEXT,
            origin TEXT NOT NULL DEFAULT 'cli',
            is_managed BOOLEAN NOT NULL DEFAULT 0,
            ever_up BOOLEAN NOT NULL DEFAULT 0,
            hourly_cost REAL NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL
        );
        CREATE TABLE cluster_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            cluster TEXT NOT NULL,
            cluster_hash TEXT,
            time REAL NOT NULL,
            kind TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX cluster_events_by_cluster ON cluster_events(cluster, id);
        CREATE TABLE usage_intervals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            cluster TEXT NOT NULL,
            cluster_hash TEXT NOT NULL,
            start REAL NOT NULL,
            "end" REAL,
            hourly_cost REAL NOT NULL DEFAULT 0,
            num_nodes INTEGER NOT NULL DEFAULT 1,
            resources_string TEXT NOT NULL DEFAULT '',
            user_name TEXT NOT NULL DEFAULT '',
            user_hash TEXT NOT NULL DEFAULT '',
            workspace TEXT NOT NULL DEFAULT 'default',
            cloud TEXT,
            region TEXT
        );
        CREATE INDEX usage_intervals_by_hash ON usage_intervals(cluster_hash, start);
        CREATE TABLE requests (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at REAL NOT NULL,
            finished_at REAL,
            user_name TEXT NOT NULL DEFAULT '',
            user_id TEXT,
            cluster_name TEXT,
            schedule_type TEXT NOT NULL DEFAULT 'short',
            body TEXT NOT NULL DEFAULT '{}',
            result TEXT,
            error TEXT,
            status_message TEXT,
            pid INTEGER
        );
        CREATE INDEX requests_by_created_at ON requests(created_at);
        CREATE TABLE storage (
            name TEXT PRIMARY KEY NOT NULL,
            store TEXT,
            source TEXT,
            status TEXT NOT NULL,
            created_at REAL NOT NULL,
            handle TEXT,
            updated_at REAL NOT NULL
        );
        CREATE TABLE check_results (
            workspace TEXT NOT NULL,
            backend TEXT NOT NULL,
            capabilities TEXT NOT NULL DEFAULT '[]',
            reason TEXT,
            details TEXT,
            checked_at REAL NOT NULL,
            PRIMARY KEY (workspace, backend)
        );
        CREATE TABLE host_leases (
            pool TEXT NOT NULL,
            host TEXT NOT NULL,
            cluster TEXT NOT NULL,
            rank INTEGER NOT NULL,
            claimed_at REAL NOT NULL,
            PRIMARY KEY (pool, host)
        );
        CREATE INDEX host_leases_by_cluster ON host_leases(cluster, rank);
        CREATE TABLE kv (
            namespace TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (namespace, key)
        );
        """
}
