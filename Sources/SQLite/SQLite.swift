import Glibc
import Synchronization

/// SQLite through libsqlite3.so.0, loaded with dlopen at first use (as libpq and libcurl are:
/// linked, it would load on every start, also on runs that keep no history).
public final class SQLiteDatabase: @unchecked Sendable {
    // @unchecked: opened with SQLITE_OPEN_FULLMUTEX, so SQLite serialises use of the handle.
    private let handle: OpaquePointer
    private let api: SQLiteAPI
    /// Read by the busy handler on SQLite's thread, set by `abandonWaiting` from any other.
    private let waiting: BusyWait
    /// False once `close` ran: the handle is then never touched again.
    private let isOpen = Mutex<Bool>(true)

    /// Why SQLite refused: its message and primary result code.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// SQLite's message, with the file's path for open failures.
        public let message: String
        /// SQLite's primary result code (5 SQLITE_BUSY, 11 SQLITE_CORRUPT, 26 SQLITE_NOTADB, …).
        public let code: Int32
        /// The message.
        public var description: String { message }
    }

    /// How long to wait for another process's lock, and whether to stop waiting at once.
    final class BusyWait: Sendable {
        let milliseconds: Int32
        let abandoned = Atomic<Bool>(false)
        /// The thread running `executeWithoutWaiting` (0: none): only its statement gives up.
        let impatient = Atomic<UInt>(0)
        init(milliseconds: Int32) { self.milliseconds = milliseconds }
    }

    /// Opens (creating when missing) the database at `path`, waiting up to `busyTimeout` ms for locks.
    public init(path: String, readOnly: Bool = false, busyTimeout: Int32 = 10_000) throws(Failure) {
        guard let api = SQLiteAPI.shared else {
            throw Failure(message: "libsqlite3.so.0 cannot be loaded (\(SQLiteAPI.loadError)); install libsqlite3-0", code: -1)
        }
        self.api = api
        var pointer: OpaquePointer?
        let flags: Int32 = (readOnly ? 0x1 : 0x2 | 0x4) | 0x10000  // READONLY or READWRITE|CREATE, FULLMUTEX
        let status = api.open(path, &pointer, flags, nil)
        guard status == 0, let pointer else {
            let message = pointer.map { String(cString: api.errmsg($0)) } ?? "out of memory"
            if let pointer { _ = api.close(pointer) }
            throw Failure(message: "\(path): \(message)", code: status & 0xff)
        }
        handle = pointer
        waiting = BusyWait(milliseconds: busyTimeout)
        // Instead of sqlite3_busy_timeout: the same wait in 10 ms steps, which `abandonWaiting` can end.
        _ = api.busyHandler(handle, { context, count in
            guard let context else { return 0 }
            let wait = Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue()
            guard !wait.abandoned.load(ordering: .acquiring), count * 10 < wait.milliseconds,
                  wait.impatient.load(ordering: .acquiring) != pthread_self() else { return 0 }
            usleep(10_000)
            return 1
        }, Unmanaged.passUnretained(waiting).toOpaque())
    }

    deinit { close() }

    /// Closes the connection; the last one to close a WAL database checkpoints it and removes the
    /// WAL file, so the next process does not rebuild the WAL index from it (a process that ends
    /// without closing leaves up to 4 MB of WAL that every later open reads). Later calls throw.
    public func close() {
        isOpen.withLock { open in
            guard open else { return }
            _ = api.close(handle)
            open = false
        }
    }

    private func ensureOpen() throws(Failure) {
        guard isOpen.withLock({ $0 }) else { throw Failure(message: "the database is closed", code: 21) }
    }

    /// Runs `sql` failing at once with SQLITE_BUSY where it would wait for another process's
    /// lock; statements other threads run on this connection meanwhile still wait.
    public func executeWithoutWaiting(_ sql: String) throws(Failure) {
        waiting.impatient.store(pthread_self(), ordering: .releasing)
        defer { waiting.impatient.store(0, ordering: .releasing) }
        try execute(sql)
    }

    /// Stops waiting for another process's lock (the waiting call fails with SQLITE_BUSY) and
    /// interrupts what runs: for a process that was asked to end. Safe from any thread.
    public func abandonWaiting() {
        waiting.abandoned.store(true, ordering: .releasing)
        isOpen.withLock { open in if open { api.interrupt(handle) } }
    }

    /// A value bound to a `?` or read from a column.
    public enum Value: Sendable, Equatable {
        case integer(Int64)
        case real(Double)
        case text(String)
        case null

        /// The value as an integer, when it is one.
        public var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
        /// The value as a number, when it is an integer or a real.
        public var real: Double? {
            switch self {
            case .real(let value): value
            case .integer(let value): Double(value)
            default: nil
            }
        }
        /// The value as text, when it is text.
        public var text: String? { if case .text(let value) = self { value } else { nil } }
    }

    /// Runs SQL without results (several statements allowed).
    public func execute(_ sql: String) throws(Failure) {
        try ensureOpen()
        var error: UnsafeMutablePointer<CChar>?
        let status = api.exec(handle, sql, nil, nil, &error)
        guard status == 0 else {
            let message = error.map { String(cString: $0) } ?? String(cString: api.errmsg(handle))
            if let error { api.free(error) }
            throw Failure(message: message, code: status & 0xff)
        }
    }

    /// Runs one statement with parameters (`?` or `$1`…, bound in order); returns its rows.
    /// - SeeAlso: `sqlite3_prepare_v2`, `sqlite3_step`.
    @discardableResult
    public func query(_ sql: String, _ parameters: [Value] = []) throws(Failure) -> [[Value]] {
        var rows: [[Value]] = []
        try each(sql, parameters) { rows.append($0) }
        return rows
    }

    /// Runs one statement without results once for each set of parameters, prepared once (an
    /// insert of many rows: preparing costs more than running).
    public func repeated(_ sql: String, _ parameterRows: [[Value]]) throws(Failure) {
        guard !parameterRows.isEmpty else { return }
        try ensureOpen()
        var statement: OpaquePointer?
        let prepared = api.prepare(handle, sql, -1, &statement, nil)
        guard prepared == 0, let statement else { throw failure(prepared) }
        defer { _ = api.finalize(statement) }
        for parameters in parameterRows {
            try bind(parameters, to: statement)
            var status = api.step(statement)
            while status == 100 { status = api.step(statement) }  // SQLITE_ROW: rows are not wanted
            guard status == 101 else { throw failure(status) }
            _ = api.reset(statement)
        }
    }

    private func bind(_ parameters: [Value], to statement: OpaquePointer) throws(Failure) {
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32 = switch parameter {
            case .integer(let value): api.bindInt64(statement, index, value)
            case .real(let value): api.bindDouble(statement, index, value)
            case .text(let value): api.bindText(statement, index, value, -1, SQLiteAPI.transient)
            case .null: api.bindNull(statement, index)
            }
            guard status == 0 else { throw failure(status) }
        }
    }

    /// Runs one statement with parameters, handing each row to `body` (no array of all rows).
    public func each(_ sql: String, _ parameters: [Value] = [], _ body: ([Value]) -> Void) throws(Failure) {
        try ensureOpen()
        var statement: OpaquePointer?
        let prepared = api.prepare(handle, sql, -1, &statement, nil)
        guard prepared == 0, let statement else { throw failure(prepared) }
        defer { _ = api.finalize(statement) }
        try bind(parameters, to: statement)
        let columns = api.columnCount(statement)
        while true {
            let status = api.step(statement)
            if status == 101 { return }  // SQLITE_DONE
            guard status == 100 else { throw failure(status) }  // SQLITE_ROW
            var row: [Value] = []
            row.reserveCapacity(Int(columns))
            for column in 0..<columns {
                switch api.columnType(statement, column) {
                case 1: row.append(.integer(api.columnInt64(statement, column)))
                case 2: row.append(.real(api.columnDouble(statement, column)))
                case 3:
                    // With its length, so the text is not measured again (strlen) before it is decoded.
                    let text = api.columnText(statement, column).map { pointer in
                        String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(api.columnBytes(statement, column))), as: UTF8.self)
                    }
                    row.append(.text(text ?? ""))
                default: row.append(.null)
                }
            }
            body(row)
        }
    }

    /// The rowid of the last insert.
    public var lastInsertRowID: Int64 { api.lastInsertRowID(handle) }

    private func failure(_ status: Int32) -> Failure {
        Failure(message: String(cString: api.errmsg(handle)), code: status & 0xff)
    }
}

/// The libsqlite3 functions used, resolved with dlsym.
struct SQLiteAPI: @unchecked Sendable {
    typealias Open = @convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<OpaquePointer?>, Int32, UnsafePointer<CChar>?) -> Int32
    typealias Close = @convention(c) (OpaquePointer) -> Int32
    typealias ErrMsg = @convention(c) (OpaquePointer) -> UnsafePointer<CChar>
    typealias Exec = @convention(c) (OpaquePointer, UnsafePointer<CChar>, OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
    typealias Free = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias Prepare = @convention(c) (OpaquePointer, UnsafePointer<CChar>, Int32, UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32
    typealias Statement = @convention(c) (OpaquePointer) -> Int32
    typealias BindInt64 = @convention(c) (OpaquePointer, Int32, Int64) -> Int32
    typealias BindDouble = @convention(c) (OpaquePointer, Int32, Double) -> Int32
    typealias BindText = @convention(c) (OpaquePointer, Int32, UnsafePointer<CChar>, Int32, Int) -> Int32
    typealias BindNull = @convention(c) (OpaquePointer, Int32) -> Int32
    typealias ColumnType = @convention(c) (OpaquePointer, Int32) -> Int32
    typealias ColumnInt64 = @convention(c) (OpaquePointer, Int32) -> Int64
    typealias ColumnDouble = @convention(c) (OpaquePointer, Int32) -> Double
    typealias ColumnText = @convention(c) (OpaquePointer, Int32) -> UnsafePointer<CChar>?
    typealias ColumnBytes = @convention(c) (OpaquePointer, Int32) -> Int32
    typealias BusyHandler = @convention(c) (OpaquePointer, (@convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32)?, UnsafeMutableRawPointer?) -> Int32
    typealias Interrupt = @convention(c) (OpaquePointer) -> Void
    typealias LastRowID = @convention(c) (OpaquePointer) -> Int64

    /// SQLITE_TRANSIENT: SQLite copies bound text.
    static let transient = -1

    let open: Open, close: Close, errmsg: ErrMsg, exec: Exec, free: Free, prepare: Prepare
    let step: Statement, finalize: Statement, reset: Statement, columnCount: Statement
    let bindInt64: BindInt64, bindDouble: BindDouble, bindText: BindText, bindNull: BindNull
    let columnType: ColumnType, columnInt64: ColumnInt64, columnDouble: ColumnDouble, columnText: ColumnText, columnBytes: ColumnBytes
    let busyHandler: BusyHandler, interrupt: Interrupt, lastInsertRowID: LastRowID

    nonisolated(unsafe) static var loadError = ""
    static let shared: SQLiteAPI? = load()

    private static func load() -> SQLiteAPI? {
        guard let library = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL) else {
            loadError = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            return nil
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(library, name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard let open = symbol("sqlite3_open_v2", as: Open.self), let close = symbol("sqlite3_close_v2", as: Close.self),
              let errmsg = symbol("sqlite3_errmsg", as: ErrMsg.self), let exec = symbol("sqlite3_exec", as: Exec.self),
              let free = symbol("sqlite3_free", as: Free.self), let prepare = symbol("sqlite3_prepare_v2", as: Prepare.self),
              let step = symbol("sqlite3_step", as: Statement.self), let finalize = symbol("sqlite3_finalize", as: Statement.self),
              let reset = symbol("sqlite3_reset", as: Statement.self),
              let columnCount = symbol("sqlite3_column_count", as: Statement.self),
              let bindInt64 = symbol("sqlite3_bind_int64", as: BindInt64.self), let bindDouble = symbol("sqlite3_bind_double", as: BindDouble.self),
              let bindText = symbol("sqlite3_bind_text", as: BindText.self), let bindNull = symbol("sqlite3_bind_null", as: BindNull.self),
              let columnType = symbol("sqlite3_column_type", as: ColumnType.self), let columnInt64 = symbol("sqlite3_column_int64", as: ColumnInt64.self),
              let columnDouble = symbol("sqlite3_column_double", as: ColumnDouble.self), let columnText = symbol("sqlite3_column_text", as: ColumnText.self),
              let columnBytes = symbol("sqlite3_column_bytes", as: ColumnBytes.self),
              let busyHandler = symbol("sqlite3_busy_handler", as: BusyHandler.self),
              let interrupt = symbol("sqlite3_interrupt", as: Interrupt.self),
              let lastInsertRowID = symbol("sqlite3_last_insert_rowid", as: LastRowID.self)
        else {
            loadError = "a sqlite3 function is missing"
            return nil
        }
        return SQLiteAPI(open: open, close: close, errmsg: errmsg, exec: exec, free: free, prepare: prepare, step: step,
                         finalize: finalize, reset: reset, columnCount: columnCount, bindInt64: bindInt64, bindDouble: bindDouble,
                         bindText: bindText, bindNull: bindNull, columnType: columnType, columnInt64: columnInt64,
                         columnDouble: columnDouble, columnText: columnText, columnBytes: columnBytes, busyHandler: busyHandler, interrupt: interrupt,
                         lastInsertRowID: lastInsertRowID)
    }
}
