/** A node of a {@link LinkedList}: the caller's own object, linked in place. */
export interface ListNode {
  prev: ListNode | undefined;
  next: ListNode | undefined;
}

/**
 * Nodes in insertion order with O(1) push, shift and remove: an intrusive doubly linked list, so
 * a store keeps one Map entry and one object per item. (Deleting the first key of a Map is not
 * O(1) in V8: iterators skip the deleted slots one by one.) A node is in one list at a time.
 *
 * @example
 * ```ts
 * const open = new LinkedList<{ id: string } & ListNode>();
 * open.push({ id: 'G-1', prev: undefined, next: undefined });
 * open.shift()?.id; // 'G-1'
 * ```
 */
export class LinkedList<T extends ListNode> implements Iterable<T> {
  private head: T | undefined;
  private tail: T | undefined;

  push(node: T): void {
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
  }

  shift(): T | undefined {
    const node = this.head;
    if (node) this.remove(node);
    return node;
  }

  remove(node: T): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next as T | undefined;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev as T | undefined;
    node.prev = undefined;
    node.next = undefined;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let node = this.head; node; node = node.next as T | undefined) yield node;
  }
}
