using System.Collections.ObjectModel;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// What an OpenTelemetry in-memory exporter exported, safe to read while the exporter adds to it from the SDK's
/// threads (a plain list is not).
/// </summary>
internal sealed class ExportedItems<T> : Collection<T>
{
    private readonly object _gate = new();

    public T[] Snapshot()
    {
        lock (_gate)
        {
            T[] items = new T[Count];
            CopyTo(items, 0);
            return items;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            Clear();
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (_gate)
        {
            base.InsertItem(index, item);
        }
    }
}
