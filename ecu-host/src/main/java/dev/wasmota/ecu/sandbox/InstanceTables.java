package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableFactory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The tables of one instance: each a copy of the table the module declares, with limits of its
 * own, all drawing on one budget of elements (the module's {@code tableElements} cap). A grow
 * the budget cannot pay for returns -1, as the WebAssembly spec allows, before anything is
 * allocated, and is counted.
 *
 * <p>Why copies: Chicory 1.7.5's {@link TableInstance#grow} raises the minimum of the table's
 * {@link TableLimits}, and by default that is the parsed module's own object, shared by every
 * instance of the module: the next instance would start with the grown table. Compiled code
 * reaches tables only through {@link Instance#table(int)} ({@code table.get/set/size/grow/fill/
 * copy/init}, {@code call_indirect}, element segments at instantiation), so the copies are what runs.
 */
final class InstanceTables implements TableFactory {
    private final Declared declared;
    private final long budget;
    private final LongAdder refusedGrows;
    private long used;

    /**
     * The module's tables as signed, read once from the freshly parsed module before any instance
     * exists: the objects (to recognise them when Chicory asks for an instance of one) and their
     * declared limits.
     */
    static final class Declared {
        private final Table[] tables;
        private final long[] min;
        private final long[] max;

        private Declared(Table[] tables, long[] min, long[] max) {
            this.tables = tables;
            this.min = min;
            this.max = max;
        }

        static Declared of(WasmModule module) {
            int n = module.tableSection().tableCount();
            Table[] tables = new Table[n];
            long[] min = new long[n];
            long[] max = new long[n];
            for (int i = 0; i < n; i++) {
                tables[i] = module.tableSection().getTable(i);
                min[i] = tables[i].limits().min();
                max[i] = tables[i].limits().max();
            }
            return new Declared(tables, min, max);
        }

        /** A factory for one new instance, with a budget of {@code budget} elements over all its tables. */
        InstanceTables forInstance(long budget, LongAdder refusedGrows) {
            return new InstanceTables(this, budget, refusedGrows);
        }
    }

    private InstanceTables(Declared declared, long budget, LongAdder refusedGrows) {
        this.declared = declared;
        this.budget = budget;
        this.refusedGrows = refusedGrows;
    }

    @Override
    public TableInstance create(Table table, int initValue) {
        int i = indexOf(table);
        long min = declared.min[i];
        if (min > budget - used) {
            throw new RejectedException(PolicyFailure.RESOURCE_LIMIT, String.format(Locale.ROOT,
                    "table %d declares %,d elements; %,d of the cap of %,d are left", i, min, budget - used, budget));
        }
        used += min;
        TableLimits limits = new TableLimits(min, Math.min(declared.max[i], budget), table.limits().shared());
        return new Capped(new Table(table.elementType(), limits, table.initialize()), initValue);
    }

    private int indexOf(Table table) {
        for (int i = 0; i < declared.tables.length; i++) {
            if (declared.tables[i] == table) {
                return i;
            }
        }
        throw new IllegalStateException("Chicory asked for a table the module does not declare");
    }

    /** One table of the instance: grows only as far as the instance's budget lets it. */
    private final class Capped extends TableInstance {
        Capped(Table table, int initValue) {
            super(table, initValue);
        }

        @Override
        public int grow(int size, int value, Instance instance) {
            if (size > 0 && size > budget - used) {
                refusedGrows.increment();
                return -1;
            }
            int old = super.grow(size, value, instance);
            if (old < 0) {
                refusedGrows.increment();
            } else {
                used += size;
            }
            return old;
        }
    }
}
