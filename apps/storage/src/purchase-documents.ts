import { type Purchase, purchaseToJson } from '@gmart/gmart';
import { MongoSinkIds } from '@gmart/streams-mongodb';
import type { Document } from 'mongodb';
import type { Record } from '@gmart/streams';

/**
 * The `_id` of a purchase's documents: a hash of the whole purchase (its own identity). A purchase
 * read again, after a crash of this service or duplicated upstream, maps to the same document.
 */
export const purchaseId = MongoSinkIds.hashOf<unknown, Purchase>((r) => purchaseToJson(r.value));

/**
 * A purchase document: the purchase with its record key (the purchase date, `selectKey(purchaseDate)`)
 * as `key`; both dates are BSON dates, so range queries and indexes work on them.
 */
export function purchaseDocument(record: Record<number, Purchase>): Document {
  const p = record.value;
  return {
    key: new Date(record.key),
    firstName: p.firstName,
    lastName: p.lastName,
    customerId: p.customerId,
    creditCardNumber: p.creditCardNumber,
    itemPurchased: p.itemPurchased,
    department: p.department,
    employeeId: p.employeeId,
    quantity: p.quantity,
    price: p.price,
    purchaseDate: new Date(p.purchaseDate),
    zipCode: p.zipCode,
    storeId: p.storeId,
  };
}

/** The seed's `SecurityDBService.saveRecord(date, employeeId, item)`. */
export function securityAuditDocument(record: Record<unknown, Purchase>): Document {
  const p = record.value;
  return { date: new Date(p.purchaseDate), employee: p.employeeId, item: p.itemPurchased };
}
