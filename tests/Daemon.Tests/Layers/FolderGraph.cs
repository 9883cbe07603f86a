using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Provisioning.Daemon.Tests.Layers;

/// <summary>
/// Which folder of the daemon uses which, read from the compiled assembly: a folder is the namespace segment
/// after <c>Provisioning.Daemon</c>, and a use is any reference from a type of one folder (its base type,
/// interfaces, attributes, fields, signatures, generic arguments and method bodies, compiler-generated types
/// included) to a type of another.
/// </summary>
internal static class FolderGraph
{
    private const string Root = "Provisioning.Daemon";

    public static SortedSet<(string From, string To)> Read(string assemblyPath)
    {
        using AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var edges = new SortedSet<(string, string)>();
        foreach (TypeDefinition type in assembly.MainModule.GetTypes())
        {
            if (FolderOf(type) is not { } from)
            {
                continue;
            }

            foreach (TypeReference used in UsedBy(type))
            {
                if (FolderOf(used) is { } to && to != from)
                {
                    edges.Add((from, to));
                }
            }
        }

        return edges;
    }

    /// <summary>The folders in a graph that take part in a circle (reach themselves again).</summary>
    public static SortedSet<string> InCircles(IReadOnlyCollection<(string From, string To)> edges)
    {
        var circled = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string start in edges.Select(e => e.From).Distinct())
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(edges.Where(e => e.From == start).Select(e => e.To));
            while (pending.TryPop(out string? folder))
            {
                if (folder == start)
                {
                    circled.Add(start);
                    break;
                }

                if (seen.Add(folder))
                {
                    foreach ((_, string next) in edges.Where(e => e.From == folder))
                    {
                        pending.Push(next);
                    }
                }
            }
        }

        return circled;
    }

    private static string? FolderOf(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        string ns = type.Namespace;
        if (!ns.StartsWith(Root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        string rest = ns[(Root.Length + 1)..];
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<TypeReference> UsedBy(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    generic.GenericArguments.ToList().ForEach(Add);
                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (CustomAttribute attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
                attribute.ConstructorArguments.Select(a => a.Value as TypeReference).ToList().ForEach(Add);
            }
        }

        void AddMethod(MethodReference method)
        {
            Add(method.DeclaringType);
            Add(method.ReturnType);
            method.Parameters.Select(p => p.ParameterType).ToList().ForEach(Add);
            if (method is GenericInstanceMethod generic)
            {
                generic.GenericArguments.ToList().ForEach(Add);
            }
        }

        Add(type.BaseType);
        type.Interfaces.Select(i => i.InterfaceType).ToList().ForEach(Add);
        AddAttributes(type);
        foreach (FieldDefinition field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field);
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }

        foreach (MethodDefinition method in type.Methods)
        {
            AddMethod(method);
            AddAttributes(method);
            if (!method.HasBody)
            {
                continue;
            }

            method.Body.Variables.Select(v => v.VariableType).ToList().ForEach(Add);
            foreach (Instruction instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operandType:
                        Add(operandType);
                        break;
                    case MethodReference operandMethod:
                        AddMethod(operandMethod);
                        break;
                    case FieldReference operandField:
                        Add(operandField.DeclaringType);
                        Add(operandField.FieldType);
                        break;
                }
            }
        }

        return found;
    }
}
