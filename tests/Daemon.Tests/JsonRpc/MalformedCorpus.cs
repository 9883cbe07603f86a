using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// At least 200 bad requests: not JSON, truncated, deeply nested, not objects, odd ids, bad methods and
/// designators, wrong param types, writes to read-only properties, Controller misuse. Each names its answer.
/// </summary>
internal static class MalformedCorpus
{
    private const string Valid = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"state","extra":[1,{"a":"b"}]}}""";

    public static IReadOnlyList<MalformedCase> All { get; } = Build();

    private static List<MalformedCase> Build()
    {
        List<MalformedCase> cases = [];
        void ParseError(string name, byte[] body, bool httpOnly = false) => cases.Add(new(name, body, -32700, "Parse error.", null, false) { HttpOnly = httpOnly });
        void InvalidNull(string name, string body) => cases.Add(new(name, Encoding.UTF8.GetBytes(body), -32600, "Invalid Request.", null, true));
        void Error(string name, string body, int code, string message, bool withData = false) =>
            cases.Add(new(name, Encoding.UTF8.GetBytes(body), code, message, 1, withData));

        // Truncated: every strict prefix of a valid request that is not blank.
        for (int length = 1; length < Valid.Length; length++)
        {
            ParseError($"truncated at {length}", Encoding.UTF8.GetBytes(Valid[..length]));
        }

        string[] notJson =
        [
            "not json", "{", "}", "{{}}", "{\"id\":1,}", "{\"id\":1 \"method\":\"x\"}", "{id:1}", "{'id':1}", "nul", "tru", "fals",
            "/* comment */ {}", "{} // comment", "{\"id\":1}{\"id\":2}", "{\"id\":1} x", "NaN", "Infinity", "-Infinity", "0x10", "01",
            "1.", ".5", "+1", "\"unterminated", "\"bad \\x escape\"", "{\"a\":\"tab\there\"}", "{\"a\":\"\\u12\"}", "[1,]", "[,1]",
            "{\"a\"}", "{\"a\":}", "{:1}", "{\"id\":1,\"method\":\"Provisioning.1.id\"]", "]", "<xml/>", "GET / HTTP/1.1", "\u00ef\u00bb\u00bf{}",
            " \t\r\n ", "{\"a\":1}\u0000",
        ];
        foreach (string body in notJson)
        {
            ParseError("not json: " + body, Encoding.UTF8.GetBytes(body));
        }

        // A WebSocket text frame must be UTF-8: the protocol layer closes such a socket (1007), so HTTP only.
        ParseError("invalid utf-8", [(byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}'], httpOnly: true);
        ParseError("lone continuation byte", [(byte)'"', 0x80, (byte)'"'], httpOnly: true);
        ParseError("binary zeros", new byte[64]);

        // Lone surrogate escapes are valid JSON syntax but no text: they cannot be decoded.
        ParseError("lone surrogate in method", Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.\ud800"}"""));
        ParseError("lone low surrogate in method", Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.id\udc00"}"""));
        ParseError("lone surrogate in a member name", Encoding.UTF8.GetBytes("""{"\ud800":1,"jsonrpc":"2.0","id":1,"method":"Provisioning.1.id"}"""));
        ParseError("utf-16 json", Encoding.Unicode.GetBytes(Valid));

        string[] notObjects =
        [
            "5", "-1", "1e400", "\"Provisioning.1.id\"", "null", "true", "false", "[]", "[{}]",
            "[" + Valid + "]", "[" + Valid + "," + Valid + "]", "[[[]]]", "[1,2,3]", "\"\"", "0",
        ];
        foreach (string body in notObjects)
        {
            InvalidNull("not an object: " + body, body);
        }

        string[] badIds =
        [
            "\"abc\"", "1.5", "-1", "-0.5", "4294967296", "18446744073709551616", "1.5e0", "5e9", "{}", "{\"id\":1}", "[]", "[1]", "null",
            "true", "false", "\"\"", "\" 4\"", "\"4 \"", "\"4a\"", "\"-4\"", "\"+4\"", "\"0x1\"", "\"4294967296\"", "\"1.0\"", "42.0000000000000000000000001", "1e-400", "4294967295.00000001",
        ];
        foreach (string id in badIds)
        {
            InvalidNull("bad id: " + id, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"Provisioning.1.exists\",\"params\":{\"method\":\"id\"}}");
        }

        string[] badMethods = ["5", "null", "true", "{}", "[]", "[\"Provisioning.1.id\"]", "{\"name\":\"state\"}", "1.5"];
        foreach (string method in badMethods)
        {
            Error("bad method: " + method, $$"""{"jsonrpc":"2.0","id":1,"method":{{method}}}""", -32600, "Invalid Request.", withData: true);
        }

        Error("no method", """{"jsonrpc":"2.0","id":1}""", -32600, "Invalid Request.", withData: true);
        Error("no method, params only", """{"jsonrpc":"2.0","id":1,"params":{}}""", -32600, "Invalid Request.", withData: true);
        InvalidNull("empty object", "{}");

        foreach (int depth in new[] { 33, 34, 40, 64, 100, 1000, 10000 })
        {
            string deep = new string('[', depth - 1) + new string(']', depth - 1);
            InvalidNull($"nested {depth} in params", """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":""" + deep + "}");
            InvalidNull($"nested {depth} arrays at root", new string('[', depth) + new string(']', depth));
        }

        InvalidNull("nested objects 40 deep in id", """{"id":""" + string.Concat(Enumerable.Repeat("{\"a\":", 39)) + "1" + new string('}', 39) + "}");
        InvalidNull("deep and truncated", new string('[', 50));

        string[] unknownMethods =
        [
            "Provisioning.1.nope", "Provisioning.1.STATE", "Provisioning.1.State", "Provisioning.1.state2", "Provisioning.1.provision ",
            "", ".", "Provisioning.", ".state", "@", "Provisioning.1.@0", "Provisioning.1.provisioningchange", "Provisioning.1.getState",
            "Controller.1.nope", "status2", "Provisioning.1.s\u00e9tat",
        ];
        foreach (string method in unknownMethods)
        {
            Error("unknown method: " + method, Requests.Call(method), -32601, "Unknown method.");
        }

        string[] unknownCallsigns =
        [
            "Nope.state", "provisioning.state", "Provisioning.1.x.state", " Provisioning.1.state", "Provisioning .1.state",
            "Provisionin\u00e9.1.state", new string('A', 10000) + ".1.state", "Provisioning.-1.state", "Provisioning.1a.state",
            "Provisioning.v1.state", "DeviceInfo.1.systeminfo", "org.rdk.Provisioning.1.state", "Provisioning/1/state.x", "Provisioning.register.1",
        ];
        foreach (string method in unknownCallsigns)
        {
            Error("unknown callsign: " + method[..Math.Min(method.Length, 40)], Requests.Call(method), -32603, "Could not access requested service");
        }

        foreach (string method in new[] { "Provisioning.2.state", "Provisioning.0.id", "Provisioning.3.provision", "Provisioning.4294967296.state", "Provisioning.99.register", "Controller.2.status" })
        {
            Error("unsupported version: " + method, Requests.Call(method), -32602, "Requested version is not supported.");
        }

        string[] badIndexParams =
        [
            "{\"label\":5}", "{\"label\":true}", "{\"label\":[]}", "{\"label\":{}}", "{\"index\":\"0\"}", "{\"index\":0.5}", "{\"index\":-3}",
            "{\"index\":1e40}", "{\"index\":true}", "{\"index\":{}}", "{\"index\":[0]}", "{\"label\":\"a\",\"index\":\"x\"}", "[]", "[\"a\",1]",
            "5", "\"label\"", "true", "{\"index\":2147483648}",
        ];
        foreach (string parameters in badIndexParams)
        {
            Error("index params: " + parameters, Requests.Call("Provisioning.1.index", 1, parameters), -32602, "Invalid params.", withData: true);
        }

        foreach (string parameters in new[] { "{}", "[]", "0", "\"x\"", "false", "{\"id\":\"WPE\"}", "{\"status\":200}" })
        {
            Error("write to id: " + parameters, Requests.Call("Provisioning.1.id", 1, parameters), 2, "ERROR_UNAVAILABLE");
            Error("write to state: " + parameters, Requests.Call("Provisioning.1.state", 1, parameters), 2, "ERROR_UNAVAILABLE");
        }

        foreach (string parameters in new[] { "{}", "{\"method\":1}", "{\"method\":null}", "[\"provision\"]", "\"provision\"" })
        {
            Error("exists params: " + parameters, Requests.Call("Provisioning.1.exists", 1, parameters), -32602, "Invalid params.", withData: true);
        }

        foreach (string parameters in new[] { "{}", "{\"callsign\":5}", "[\"Provisioning\"]", "null" })
        {
            Error("controller activate params: " + parameters, Requests.Call("Controller.1.activate", 1, parameters), -32602, "Invalid params.", withData: true);
        }

        Error("controller status of another callsign", Requests.Call("Controller.1.status@Nope"), 22, "ERROR_UNKNOWN_KEY");
        Error("controller activate another callsign", Requests.Call("Controller.1.activate", 1, "{\"callsign\":\"Nope\"}"), 22, "ERROR_UNKNOWN_KEY");
        return cases;
    }
}
