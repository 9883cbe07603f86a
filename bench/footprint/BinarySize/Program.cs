using Mono.Cecil;
using Mono.Cecil.Cil;

// The .mstat file the Native AOT compiler writes with -p:IlcGenerateMstatFile=true is an assembly whose <Module>
// methods "Methods" and "Types" list each compiled method or type as `ldtoken <it>` followed by its size in bytes
// (`ldc.i4`). This sums those sizes per assembly and per namespace: the executable's code, without its data.
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: BinarySize <provisioningd.mstat> [top=25]");
    return 2;
}

int top = args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25;
using AssemblyDefinition mstat = AssemblyDefinition.ReadAssembly(args[0]);
TypeDefinition module = mstat.MainModule.GetType("<Module>");
var byAssembly = new Dictionary<string, long>();
var byNamespace = new Dictionary<string, long>();
foreach (string list in (string[])["Methods", "Types"])
{
    Mono.Collections.Generic.Collection<Instruction> code = module.Methods.Single(method => method.Name == list).Body.Instructions;
    for (int i = 0; i < code.Count; i++)
    {
        if (code[i].OpCode != OpCodes.Ldtoken)
        {
            continue;
        }

        TypeReference type = code[i].Operand is MemberReference { DeclaringType: { } declaring } and not TypeReference ? declaring : (TypeReference)code[i].Operand;
        int next = i + 1;
        while (next < code.Count && code[next].OpCode.Code is not (>= Code.Ldc_I4_M1 and <= Code.Ldc_I4))
        {
            next++;
        }

        if (next == code.Count)
        {
            break;
        }

        long size = code[next].OpCode.Code switch
        {
            Code.Ldc_I4 or Code.Ldc_I4_S => Convert.ToInt64(code[next].Operand, System.Globalization.CultureInfo.InvariantCulture),
            var constant => constant - Code.Ldc_I4_0,
        };
        (string assembly, string ns) = Owner(type);
        byAssembly[assembly] = byAssembly.GetValueOrDefault(assembly) + size;
        byNamespace[$"{assembly}: {ns}"] = byNamespace.GetValueOrDefault($"{assembly}: {ns}") + size;
        i = next;
    }
}

Console.WriteLine($"code in all: {byAssembly.Values.Sum():N0} bytes");
Print("by assembly", byAssembly);
Print("by namespace", byNamespace);
return 0;

void Print(string title, Dictionary<string, long> sizes)
{
    Console.WriteLine($"--- {title} (top {top})");
    foreach ((string name, long size) in sizes.OrderByDescending(entry => entry.Value).Take(top))
    {
        Console.WriteLine($"{size,12:N0}  {name}");
    }
}

static (string Assembly, string Namespace) Owner(TypeReference? type)
{
    while (type is TypeSpecification specification)
    {
        type = specification.ElementType;
    }

    if (type is null)
    {
        return ("(unknown)", "(unknown)");
    }

    while (type.DeclaringType is { } outer)
    {
        type = outer;
    }

    string assembly = type.Scope switch
    {
        ModuleDefinition module => module.Assembly.Name.Name,
        null => "(unknown)",
        var scope => scope.Name,
    };
    return (assembly, type.Namespace.Length == 0 ? "(global)" : type.Namespace);
}
