import { LinkedList, type ListNode } from '../src/job/linked-list';
import { isoTime } from '../src/job/iso-time';

type Item = { readonly id: string } & ListNode;
const item = (id: string): Item => ({ id, prev: undefined, next: undefined });
const ids = (list: LinkedList<Item>) => [...list].map((node) => node.id);

describe('LinkedList', () => {
  it('keeps insertion order through push, shift and remove from any place', () => {
    const list = new LinkedList<Item>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [Item, Item, Item, Item];
    for (const node of [a, b, c, d]) list.push(node);
    list.remove(c); // middle
    expect(ids(list)).toEqual(['a', 'b', 'd']);
    list.remove(d); // tail
    list.push(c);
    expect(ids(list)).toEqual(['a', 'b', 'c']);
    expect(list.shift()?.id).toBe('a');
    list.remove(c);
    list.remove(b); // the last one
    expect(ids(list)).toEqual([]);
    expect(list.shift()).toBeUndefined();
    list.push(a);
    expect(ids(list)).toEqual(['a']);
  });

  it('moves a node from one list to the end of another', () => {
    const open = new LinkedList<Item>();
    const done = new LinkedList<Item>();
    const [a, b, c] = ['a', 'b', 'c'].map(item) as [Item, Item, Item];
    for (const node of [a, b, c]) open.push(node);
    done.push(item('z'));
    open.remove(b);
    done.push(b);
    expect(ids(open)).toEqual(['a', 'c']);
    expect(ids(done)).toEqual(['z', 'b']);
    expect(b.next).toBeUndefined();
  });
});

describe('isoTime', () => {
  it('formats like toISOString, and again when the millisecond changes', () => {
    expect(isoTime(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(new Date(1))).toBe('1970-01-01T00:00:00.001Z');
    expect(isoTime(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  it('throws on an invalid date, as toISOString does', () => {
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
