//! An external sort: items are kept in memory up to a budget, then written to temporary files
//! as sorted runs, and read back merged in order. This is how a million-line file is grouped
//! into customers with memory that does not grow with the file.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use tempfile::NamedTempFile;

mod packed;
pub use packed::{Packed, PackedMerge, PackedSorted, PackedSorter};

/// Collects items, spilling sorted runs to disk past `budget` bytes. A full buffer is sorted
/// and written on a thread of its own while collection goes on into a fresh one, so memory
/// is at most twice the budget and the producer never waits for the disk unless the disk is
/// slower than it.
pub struct Sorter<T> {
    buffer: Vec<T>,
    bytes: usize,
    budget: usize,
    runs: Vec<NamedTempFile>,
    writing: Option<std::thread::JoinHandle<io::Result<NamedTempFile>>>,
    /// Items of the buffer being written by that thread.
    writing_len: usize,
    count: u64,
    /// The most items held at once, both buffers together.
    peak: usize,
}

/// Roughly how much memory an item holds, to decide when to spill.
pub trait Weigh {
    fn weight(&self) -> usize;
}

impl<T: Ord + Serialize + DeserializeOwned + Weigh + Send + 'static> Sorter<T> {
    pub fn new(budget: usize) -> Sorter<T> {
        Sorter {
            buffer: Vec::new(),
            bytes: 0,
            budget,
            runs: Vec::new(),
            writing: None,
            writing_len: 0,
            count: 0,
            peak: 0,
        }
    }

    pub fn push(&mut self, item: T) -> io::Result<()> {
        self.bytes += item.weight() + std::mem::size_of::<T>();
        self.buffer.push(item);
        self.count += 1;
        self.peak = self.peak.max(self.buffer.len() + self.writing_len);
        if self.bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        self.wait_for_writer()?;
        let capacity = self.buffer.len();
        let full = std::mem::replace(&mut self.buffer, Vec::with_capacity(capacity));
        self.bytes = 0;
        self.writing_len = full.len();
        self.writing = Some(
            std::thread::Builder::new()
                .name("spill".into())
                .spawn(move || write_run(full))?,
        );
        Ok(())
    }

    fn wait_for_writer(&mut self) -> io::Result<()> {
        if let Some(writing) = self.writing.take() {
            let run = writing
                .join()
                .map_err(|_| io::Error::other("the thread writing a sorted run stopped"))??;
            self.runs.push(run);
            self.writing_len = 0;
        }
        Ok(())
    }

    /// Ends collection. The result can be read in order any number of times.
    pub fn finish(mut self) -> io::Result<Sorted<T>> {
        self.wait_for_writer()?;
        self.buffer.sort();
        Ok(Sorted {
            runs: self.runs,
            memory: self.buffer,
            count: self.count,
            peak: self.peak,
        })
    }
}

fn write_run<T: Ord + Serialize>(mut items: Vec<T>) -> io::Result<NamedTempFile> {
    items.sort();
    new_run(|out| {
        let mut bytes = Vec::with_capacity(1024);
        for item in &items {
            bytes.clear();
            bytes = postcard::to_extend(item, bytes).map_err(io::Error::other)?;
            write_frame(out, &bytes)?;
        }
        Ok(())
    })
}

/// A run file, written by `write` as frames ([`write_frame`]). Both sorters keep their runs
/// in this form.
fn new_run(
    write: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
) -> io::Result<NamedTempFile> {
    let file = NamedTempFile::new()?;
    let mut out = BufWriter::with_capacity(256 * 1024, file.as_file());
    write(&mut out)?;
    out.flush()?;
    drop(out);
    Ok(file)
}

/// One record of a run: its length, then its bytes.
fn write_frame(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&(bytes.len() as u32).to_le_bytes())?;
    out.write_all(bytes)
}

/// The next record of a run, or `None` at its end.
fn read_frame(reader: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match reader.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    reader.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}

/// Each run opened for reading from its start. Reopening by path gives each pass its own file
/// offset, so a sorted result can be read any number of times.
fn open_runs(runs: &[NamedTempFile]) -> io::Result<Vec<BufReader<File>>> {
    runs.iter()
        .map(|run| {
            Ok(BufReader::with_capacity(
                128 * 1024,
                File::open(run.path())?,
            ))
        })
        .collect()
}

/// Sorted items: runs on disk plus a sorted tail in memory.
pub struct Sorted<T> {
    runs: Vec<NamedTempFile>,
    memory: Vec<T>,
    count: u64,
    peak: usize,
}

impl<T: Ord + Clone + DeserializeOwned> Sorted<T> {
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

    /// The most items that were in memory at once while collecting (for tests and
    /// benchmarks): what shows that memory followed the budget, not the input.
    pub fn peak_in_memory(&self) -> usize {
        self.peak
    }

    /// Every item, in order.
    pub fn iter(&self) -> io::Result<Merge<'_, T>> {
        let mut sources: Vec<_> = open_runs(&self.runs)?
            .into_iter()
            .map(Source::Disk)
            .collect();
        sources.push(Source::Memory(self.memory.iter()));
        let mut merge = Merge {
            sources,
            heap: BinaryHeap::new(),
        };
        for i in 0..merge.sources.len() {
            if let Some(item) = merge.sources[i].next()? {
                merge.heap.push(Reverse(HeapItem { item, source: i }));
            }
        }
        Ok(merge)
    }
}

enum Source<'a, T> {
    Disk(BufReader<File>),
    Memory(std::slice::Iter<'a, T>),
}

impl<T: Clone + DeserializeOwned> Source<'_, T> {
    fn next(&mut self) -> io::Result<Option<T>> {
        match self {
            Source::Memory(iter) => Ok(iter.next().cloned()),
            Source::Disk(reader) => read_frame(reader)?
                .map(|bytes| postcard::from_bytes(&bytes))
                .transpose()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
        }
    }
}

struct HeapItem<T> {
    item: T,
    source: usize,
}

impl<T: Ord> PartialEq for HeapItem<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<T: Ord> Eq for HeapItem<T> {}
impl<T: Ord> PartialOrd for HeapItem<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Ord> Ord for HeapItem<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Equal items come out in run order, which is push order: the sort is stable.
        self.item
            .cmp(&other.item)
            .then(self.source.cmp(&other.source))
    }
}

/// The k-way merge of a [`Sorted`].
pub struct Merge<'a, T> {
    sources: Vec<Source<'a, T>>,
    heap: BinaryHeap<Reverse<HeapItem<T>>>,
}

impl<T: Ord + Clone + DeserializeOwned> Iterator for Merge<'_, T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        let Reverse(top) = self.heap.pop()?;
        match self.sources[top.source].next() {
            Ok(Some(item)) => self.heap.push(Reverse(HeapItem {
                item,
                source: top.source,
            })),
            Ok(None) => {}
            Err(e) => return Some(Err(e)),
        }
        Some(Ok(top.item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl Weigh for (u32, String) {
        fn weight(&self) -> usize {
            self.1.len()
        }
    }

    proptest! {
        #[test]
        fn merged_runs_equal_a_plain_sort(items in proptest::collection::vec((0u32..50, "[a-c]{0,3}"), 0..300), budget in 1usize..2000) {
            let mut sorter = Sorter::new(budget);
            for item in &items {
                sorter.push(item.clone()).unwrap();
            }
            let sorted = sorter.finish().unwrap();
            let mut expected = items.clone();
            expected.sort();
            for _pass in 0..2 {
                let got: Vec<(u32, String)> = sorted.iter().unwrap().map(Result::unwrap).collect();
                prop_assert_eq!(&got, &expected);
            }
        }
    }

    #[test]
    fn small_inputs_stay_in_memory() {
        let mut sorter = Sorter::new(1 << 20);
        sorter.push((2, "b".to_string())).unwrap();
        sorter.push((1, "a".to_string())).unwrap();
        let sorted = sorter.finish().unwrap();
        assert_eq!(sorted.spilled_runs(), 0);
        assert_eq!(sorted.len(), 2);
        assert_eq!(sorted.peak_in_memory(), 2);
    }

    #[test]
    fn the_peak_follows_the_budget_not_the_input() {
        let mut sorter = Sorter::new(1024);
        for i in 0..10_000u32 {
            sorter.push((i % 97, "x".repeat(8))).unwrap();
        }
        let sorted = sorter.finish().unwrap();
        assert!(sorted.spilled_runs() > 10);
        // Two buffers of about 1024 bytes of (u32, String) items at most.
        let item = std::mem::size_of::<(u32, String)>() + 8;
        assert!(
            sorted.peak_in_memory() <= 2 * (1024 / item + 1),
            "{}",
            sorted.peak_in_memory()
        );
    }
}
