//! The external sort for records that arrive already packed into bytes, as the lines of a big
//! file do. Records are copied back to back into one buffer rather than held one allocation
//! each: a million lines would otherwise be a million allocations made on one thread and freed
//! on another, and a run is then written with plain copies. The buffer a run was written from
//! comes back for the next one, so memory stays where the budget puts it.

use super::{new_run, open_runs, read_frame, write_frame};
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::collections::binary_heap::PeekMut;
use std::fs::File;
use std::io::{self, BufReader};
use std::ops::Range;
use tempfile::NamedTempFile;

/// A record type stored packed: how two packed records compare, and how one is unpacked.
pub trait Packed: Sized {
    fn order(a: &[u8], b: &[u8]) -> Ordering;
    /// What the order starts with, as a number: records whose prefixes differ compare as
    /// their prefixes do, so that most comparisons of a sort and a merge are one of numbers.
    /// Equal prefixes say nothing.
    fn prefix(record: &[u8]) -> u128;
    fn unpack(bytes: Vec<u8>) -> io::Result<Self>;
}

/// The order of two records, the prefixes first.
fn compare<T: Packed>(a: (u128, &[u8]), b: (u128, &[u8])) -> Ordering {
    a.0.cmp(&b.0).then_with(|| T::order(a.1, b.1))
}

/// Where a record is in a buffer, and its prefix.
#[derive(Clone, Debug)]
struct Slot {
    prefix: u128,
    range: Range<usize>,
}

/// Records back to back, and where each one is.
#[derive(Default)]
struct Buffer {
    data: Vec<u8>,
    records: Vec<Slot>,
}

impl Buffer {
    fn clear(&mut self) {
        self.data.clear();
        self.records.clear();
    }

    fn sort<T: Packed>(&mut self) {
        let data = &self.data;
        // Stable, so equal records stay in push order as they do in [`super::Sorter`]; and a
        // merge sort finds the runs of an input sorted by customer already, as exports often
        // are.
        self.records.sort_by(|a, b| {
            compare::<T>(
                (a.prefix, &data[a.range.clone()]),
                (b.prefix, &data[b.range.clone()]),
            )
        });
    }
}

/// Bookkeeping per record besides its bytes, counted against the budget.
const PER_RECORD: usize = std::mem::size_of::<Slot>();

/// Collects packed records, spilling sorted runs past `budget` bytes on a thread of their own
/// (memory is then at most twice the budget).
pub struct PackedSorter<T> {
    buffer: Buffer,
    /// The buffer of the last run written, emptied, for the next one.
    spare: Option<Buffer>,
    bytes: usize,
    budget: usize,
    runs: Vec<NamedTempFile>,
    writing: Option<std::thread::JoinHandle<io::Result<(NamedTempFile, Buffer)>>>,
    writing_len: usize,
    count: u64,
    peak: usize,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T: Packed + 'static> PackedSorter<T> {
    pub fn new(budget: usize) -> PackedSorter<T> {
        PackedSorter {
            buffer: Buffer::default(),
            spare: None,
            bytes: 0,
            budget,
            runs: Vec::new(),
            writing: None,
            writing_len: 0,
            count: 0,
            peak: 0,
            kind: std::marker::PhantomData,
        }
    }

    pub fn push(&mut self, record: &[u8]) -> io::Result<()> {
        let start = self.buffer.data.len();
        let data = &mut self.buffer.data;
        if start + record.len() > data.capacity() {
            // Doubling while small; past a quarter of the budget straight to the budget, so
            // that big inputs leave no trail of outgrown buffers (a doubled 48 MB buffer would
            // also hold 64).
            let doubled = (data.capacity() * 2).max(64 * 1024);
            let wanted = if doubled >= self.budget / 4 {
                self.budget
            } else {
                doubled
            };
            data.reserve_exact(wanted.max(start + record.len()) - start);
        }
        data.extend_from_slice(record);
        self.buffer.records.push(Slot {
            prefix: T::prefix(record),
            range: start..self.buffer.data.len(),
        });
        self.bytes += record.len() + PER_RECORD;
        self.count += 1;
        self.peak = self.peak.max(self.buffer.records.len() + self.writing_len);
        if self.bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        self.wait_for_writer()?;
        let next = self.spare.take().unwrap_or_else(|| Buffer {
            data: Vec::with_capacity(self.buffer.data.capacity()),
            records: Vec::with_capacity(self.buffer.records.capacity()),
        });
        let full = std::mem::replace(&mut self.buffer, next);
        self.bytes = 0;
        self.writing_len = full.records.len();
        self.writing = Some(
            std::thread::Builder::new()
                .name("spill".into())
                .spawn(move || write_run::<T>(full))?,
        );
        Ok(())
    }

    fn wait_for_writer(&mut self) -> io::Result<()> {
        if let Some(writing) = self.writing.take() {
            let (run, spare) = writing
                .join()
                .map_err(|_| io::Error::other("the thread writing a sorted run stopped"))??;
            self.runs.push(run);
            self.spare = Some(spare);
            self.writing_len = 0;
        }
        Ok(())
    }

    /// Ends collection. The result can be read in order any number of times.
    pub fn finish(mut self) -> io::Result<PackedSorted<T>> {
        self.wait_for_writer()?;
        self.buffer.sort::<T>();
        Ok(PackedSorted {
            runs: self.runs,
            memory: self.buffer,
            count: self.count,
            peak: self.peak,
            kind: std::marker::PhantomData,
        })
    }
}

/// Writes a run as length-prefixed records, and gives the buffer back emptied.
fn write_run<T: Packed>(mut buffer: Buffer) -> io::Result<(NamedTempFile, Buffer)> {
    buffer.sort::<T>();
    let file = new_run(|out| {
        for record in &buffer.records {
            write_frame(out, &buffer.data[record.range.clone()])?;
        }
        Ok(())
    })?;
    buffer.clear();
    Ok((file, buffer))
}

/// Sorted records: runs on disk plus a sorted tail in memory.
pub struct PackedSorted<T> {
    runs: Vec<NamedTempFile>,
    memory: Buffer,
    count: u64,
    peak: usize,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T: Packed> PackedSorted<T> {
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether anything went to disk (for tests and benchmarks).
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// The most records that were in memory at once while collecting.
    pub fn peak_in_memory(&self) -> usize {
        self.peak
    }

    /// Every record, in order.
    pub fn iter(&self) -> io::Result<PackedMerge<'_, T>> {
        let mut sources: Vec<_> = open_runs(&self.runs)?
            .into_iter()
            .map(Source::Disk)
            .collect();
        sources.push(Source::Memory(&self.memory, 0));
        let mut merge = PackedMerge {
            sources,
            heap: BinaryHeap::new(),
            kind: std::marker::PhantomData,
        };
        for source in 0..merge.sources.len() {
            if let Some(bytes) = merge.sources[source].next()? {
                merge.heap.push(Reverse(Head::<T>::new(bytes, source)));
            }
        }
        Ok(merge)
    }
}

enum Source<'a> {
    Disk(BufReader<File>),
    Memory(&'a Buffer, usize),
}

impl Source<'_> {
    fn next(&mut self) -> io::Result<Option<Vec<u8>>> {
        match self {
            Source::Memory(buffer, at) => {
                let Some(record) = buffer.records.get(*at) else {
                    return Ok(None);
                };
                *at += 1;
                Ok(Some(buffer.data[record.range.clone()].to_vec()))
            }
            Source::Disk(reader) => read_frame(reader),
        }
    }
}

/// The next record of one source, ordered for the merge's heap.
struct Head<T> {
    prefix: u128,
    bytes: Vec<u8>,
    source: usize,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T: Packed> Head<T> {
    fn new(bytes: Vec<u8>, source: usize) -> Head<T> {
        Head {
            prefix: T::prefix(&bytes),
            bytes,
            source,
            kind: std::marker::PhantomData,
        }
    }
}

impl<T: Packed> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<T: Packed> Eq for Head<T> {}
impl<T: Packed> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Packed> Ord for Head<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Equal records come out in run order, which is push order: the sort is stable.
        compare::<T>((self.prefix, &self.bytes), (other.prefix, &other.bytes))
            .then(self.source.cmp(&other.source))
    }
}

/// The k-way merge of a [`PackedSorted`], unpacking each record.
pub struct PackedMerge<'a, T> {
    sources: Vec<Source<'a>>,
    heap: BinaryHeap<Reverse<Head<T>>>,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T: Packed> Iterator for PackedMerge<'_, T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        // The source that gave the smallest record often gives the next smallest too (an
        // input sorted already makes runs that follow each other), so its next record takes
        // the top's place and sinks only as far as it must.
        let mut top = self.heap.peek_mut()?;
        let source = top.0.source;
        let bytes = match self.sources[source].next() {
            Ok(Some(next)) => {
                std::mem::replace(&mut *top, Reverse(Head::new(next, source)))
                    .0
                    .bytes
            }
            Ok(None) => PeekMut::pop(top).0.bytes,
            Err(e) => return Some(Err(e)),
        };
        Some(T::unpack(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A test record: a big-endian u32 to sort by, then a tag that must keep push order.
    #[derive(Debug, PartialEq)]
    struct Item(u32, Vec<u8>);

    impl Packed for Item {
        fn order(a: &[u8], b: &[u8]) -> Ordering {
            a[..4].cmp(&b[..4])
        }
        fn prefix(record: &[u8]) -> u128 {
            // Only the first byte: most comparisons fall through to the order.
            u128::from(record[0])
        }
        fn unpack(bytes: Vec<u8>) -> io::Result<Item> {
            let key = u32::from_be_bytes(bytes[..4].try_into().map_err(io::Error::other)?);
            Ok(Item(key, bytes[4..].to_vec()))
        }
    }

    fn pack(key: u32, tag: &[u8]) -> Vec<u8> {
        let mut bytes = key.to_be_bytes().to_vec();
        bytes.extend_from_slice(tag);
        bytes
    }

    proptest! {
        #[test]
        fn merged_runs_equal_a_stable_sort(keys in proptest::collection::vec(0u32..20, 0..300), budget in 1usize..2000) {
            let mut sorter = PackedSorter::<Item>::new(budget);
            let items: Vec<Item> = keys
                .iter()
                .enumerate()
                .map(|(i, &k)| Item(k, (i as u16).to_be_bytes().to_vec()))
                .collect();
            for item in &items {
                sorter.push(&pack(item.0, &item.1)).unwrap();
            }
            let sorted = sorter.finish().unwrap();
            let mut expected = items;
            expected.sort_by_key(|item| item.0);
            for _pass in 0..2 {
                let got: Vec<Item> = sorted.iter().unwrap().map(Result::unwrap).collect();
                prop_assert_eq!(&got, &expected);
            }
            prop_assert_eq!(sorted.len(), keys.len() as u64);
        }
    }

    #[test]
    fn the_peak_follows_the_budget_not_the_input() {
        let mut sorter = PackedSorter::<Item>::new(1024);
        for i in 0..10_000u32 {
            sorter.push(&pack(i % 97, b"xxxxxxxx")).unwrap();
        }
        let sorted = sorter.finish().unwrap();
        assert!(sorted.spilled_runs() > 10);
        let record = 12 + PER_RECORD;
        assert!(
            sorted.peak_in_memory() <= 2 * (1024 / record + 1),
            "{}",
            sorted.peak_in_memory()
        );
    }

    #[test]
    fn small_inputs_stay_in_memory() {
        let mut sorter = PackedSorter::<Item>::new(1 << 20);
        sorter.push(&pack(2, b"b")).unwrap();
        sorter.push(&pack(1, b"a")).unwrap();
        let sorted = sorter.finish().unwrap();
        assert_eq!(sorted.spilled_runs(), 0);
        let got: Vec<Item> = sorted.iter().unwrap().map(Result::unwrap).collect();
        assert_eq!(got, vec![Item(1, b"a".to_vec()), Item(2, b"b".to_vec())]);
    }
}
