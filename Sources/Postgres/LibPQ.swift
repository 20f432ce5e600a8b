internal import CLibPQ
import Glibc

/// libpq's functions, loaded from `libpq.so.5` on first use. Linking libpq would load it and the
/// ~20 libraries it depends on (OpenSSL, Kerberos, LDAP, GnuTLS) at every start, which cost more
/// than a whole build-target run that never connects to a database.
struct LibPQ: @unchecked Sendable {
    // @unchecked: a table of C function pointers, written once and only read after.
    typealias Connection = OpaquePointer
    typealias ResultHandle = OpaquePointer

    let conninfoParse: @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafeMutablePointer<PQconninfoOption>?
    let conninfoFree: @convention(c) (UnsafeMutablePointer<PQconninfoOption>?) -> Void
    let freemem: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let connectdbParams: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Connection?
    let status: @convention(c) (Connection?) -> ConnStatusType
    let errorMessage: @convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?
    let finish: @convention(c) (Connection?) -> Void
    let sendQueryParams: @convention(c) (Connection?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?,
                                         UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Int32
    let getResult: @convention(c) (Connection?) -> ResultHandle?
    let clear: @convention(c) (ResultHandle?) -> Void
    let isBusy: @convention(c) (Connection?) -> Int32
    let socket: @convention(c) (Connection?) -> Int32
    let consumeInput: @convention(c) (Connection?) -> Int32
    let resultStatus: @convention(c) (ResultHandle?) -> ExecStatusType
    let nfields: @convention(c) (ResultHandle?) -> Int32
    let ntuples: @convention(c) (ResultHandle?) -> Int32
    let fname: @convention(c) (ResultHandle?, Int32) -> UnsafeMutablePointer<CChar>?
    let ftype: @convention(c) (ResultHandle?, Int32) -> Oid
    let getisnull: @convention(c) (ResultHandle?, Int32, Int32) -> Int32
    let getvalue: @convention(c) (ResultHandle?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let resultErrorField: @convention(c) (ResultHandle?, Int32) -> UnsafeMutablePointer<CChar>?
    let resultErrorMessage: @convention(c) (ResultHandle?) -> UnsafeMutablePointer<CChar>?
    let getCancel: @convention(c) (Connection?) -> OpaquePointer?
    let cancel: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32
    let freeCancel: @convention(c) (OpaquePointer?) -> Void
    let host: @convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?
    let port: @convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?
    let db: @convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?

    /// The library, loaded once; an error names what to install when it is missing.
    static let shared: Result<LibPQ, PostgresError> = load()

    private static func load() -> Result<LibPQ, PostgresError> {
        guard let handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            return .failure(PostgresError(.connection, message: "cannot load libpq (\(reason)); install it: apt-get install libpq5",
                                          target: "(libpq)"))
        }
        let names = ["PQconninfoParse", "PQconninfoFree", "PQfreemem", "PQconnectdbParams", "PQstatus", "PQerrorMessage",
                     "PQfinish", "PQsendQueryParams", "PQgetResult", "PQclear", "PQisBusy", "PQsocket", "PQconsumeInput",
                     "PQresultStatus", "PQnfields", "PQntuples", "PQfname", "PQftype", "PQgetisnull", "PQgetvalue",
                     "PQresultErrorField", "PQresultErrorMessage", "PQgetCancel", "PQcancel", "PQfreeCancel", "PQhost", "PQport", "PQdb"]
        let missing = names.filter { dlsym(handle, $0) == nil }
        guard missing.isEmpty else {
            return .failure(PostgresError(.connection, message: "libpq.so.5 lacks \(missing.joined(separator: ", ")); it is too old",
                                          target: "(libpq)"))
        }
        // Every name was found above; the types are libpq-fe.h's prototypes.
        func symbol<T>(_ name: String, as type: T.Type) -> T { unsafeBitCast(dlsym(handle, name)!, to: type) }
        return .success(LibPQ(
            conninfoParse: symbol("PQconninfoParse", as: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafeMutablePointer<PQconninfoOption>?).self),
            conninfoFree: symbol("PQconninfoFree", as: (@convention(c) (UnsafeMutablePointer<PQconninfoOption>?) -> Void).self),
            freemem: symbol("PQfreemem", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
            connectdbParams: symbol("PQconnectdbParams", as: (@convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Connection?).self),
            status: symbol("PQstatus", as: (@convention(c) (Connection?) -> ConnStatusType).self),
            errorMessage: symbol("PQerrorMessage", as: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?).self),
            finish: symbol("PQfinish", as: (@convention(c) (Connection?) -> Void).self),
            sendQueryParams: symbol("PQsendQueryParams", as: (@convention(c) (Connection?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Int32).self),
            getResult: symbol("PQgetResult", as: (@convention(c) (Connection?) -> ResultHandle?).self),
            clear: symbol("PQclear", as: (@convention(c) (ResultHandle?) -> Void).self),
            isBusy: symbol("PQisBusy", as: (@convention(c) (Connection?) -> Int32).self),
            socket: symbol("PQsocket", as: (@convention(c) (Connection?) -> Int32).self),
            consumeInput: symbol("PQconsumeInput", as: (@convention(c) (Connection?) -> Int32).self),
            resultStatus: symbol("PQresultStatus", as: (@convention(c) (ResultHandle?) -> ExecStatusType).self),
            nfields: symbol("PQnfields", as: (@convention(c) (ResultHandle?) -> Int32).self),
            ntuples: symbol("PQntuples", as: (@convention(c) (ResultHandle?) -> Int32).self),
            fname: symbol("PQfname", as: (@convention(c) (ResultHandle?, Int32) -> UnsafeMutablePointer<CChar>?).self),
            ftype: symbol("PQftype", as: (@convention(c) (ResultHandle?, Int32) -> Oid).self),
            getisnull: symbol("PQgetisnull", as: (@convention(c) (ResultHandle?, Int32, Int32) -> Int32).self),
            getvalue: symbol("PQgetvalue", as: (@convention(c) (ResultHandle?, Int32, Int32) -> UnsafeMutablePointer<CChar>?).self),
            resultErrorField: symbol("PQresultErrorField", as: (@convention(c) (ResultHandle?, Int32) -> UnsafeMutablePointer<CChar>?).self),
            resultErrorMessage: symbol("PQresultErrorMessage", as: (@convention(c) (ResultHandle?) -> UnsafeMutablePointer<CChar>?).self),
            getCancel: symbol("PQgetCancel", as: (@convention(c) (Connection?) -> OpaquePointer?).self),
            cancel: symbol("PQcancel", as: (@convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32).self),
            freeCancel: symbol("PQfreeCancel", as: (@convention(c) (OpaquePointer?) -> Void).self),
            host: symbol("PQhost", as: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?).self),
            port: symbol("PQport", as: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?).self),
            db: symbol("PQdb", as: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?).self)))
    }
}
