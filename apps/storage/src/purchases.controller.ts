import { Controller, Get, Inject, Query, ServiceUnavailableException } from '@nestjs/common';
import { rejectUnknownQuery, type RawQuery } from '@gmart/nest-streams';
import { MongoError } from 'mongodb';
import { parsePurchasesQuery, purchasesFilter } from './purchases-query';
import { StorageMongo } from './storage-mongo';

/** One stored purchase as the API returns it. */
export interface PurchaseView {
  readonly id: string;
  /** The record key: the purchase date (ISO-8601). */
  readonly key: string;
  readonly customerId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly creditCardNumber: string;
  readonly itemPurchased: string;
  readonly department: string;
  readonly employeeId: string;
  readonly quantity: number;
  readonly price: number;
  readonly purchaseDate: string;
  readonly zipCode: string;
  readonly storeId: string;
}

/** A page of purchases. */
export interface PurchasesPage {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly items: PurchaseView[];
}

/** Reads the stored purchases back from MongoDB, so the data is usable without a Mongo shell. */
@Controller('purchases')
export class PurchasesController {
  constructor(@Inject(StorageMongo) private readonly mongo: StorageMongo) {}

  /**
   * `GET /purchases/count`: `{ count }`, the documents in the purchases collection from
   * `estimatedDocumentCount` (collection metadata: no scan, cheap to poll). 503 when MongoDB cannot
   * be reached; 400 for any query parameter.
   */
  @Get('count')
  async count(@Query() raw: RawQuery = {}): Promise<{ count: number }> {
    rejectUnknownQuery(raw, []);
    try {
      return { count: await this.mongo.purchases().estimatedDocumentCount() };
    } catch (e) {
      if (e instanceof MongoError)
        throw new ServiceUnavailableException('MongoDB is unavailable; try again later');
      throw e;
    }
  }

  /**
   * `GET /purchases?customerId=&from=&to=&page=&pageSize=`: purchases over $5.00, oldest first
   * (`purchaseDate` in `[from, to)`), `pageSize` (default 50, at most 500) per page. 400 names a bad
   * parameter; 503 when MongoDB cannot be reached.
   */
  @Get()
  async list(@Query() raw: Record<string, unknown>): Promise<PurchasesPage> {
    const q = parsePurchasesQuery(raw);
    const filter = purchasesFilter(q);
    const collection = this.mongo.purchases();
    try {
      const [total, docs] = await Promise.all([
        collection.countDocuments(filter),
        collection
          .find(filter)
          .sort({ purchaseDate: 1, _id: 1 })
          .skip((q.page - 1) * q.pageSize)
          .limit(q.pageSize)
          .toArray(),
      ]);
      const items = docs.map((d) => ({
        id: String(d._id),
        key: (d.key as Date).toISOString(),
        customerId: d.customerId,
        firstName: d.firstName,
        lastName: d.lastName,
        creditCardNumber: d.creditCardNumber,
        itemPurchased: d.itemPurchased,
        department: d.department,
        employeeId: d.employeeId,
        quantity: d.quantity,
        price: d.price,
        purchaseDate: (d.purchaseDate as Date).toISOString(),
        zipCode: d.zipCode,
        storeId: d.storeId,
      }));
      return { page: q.page, pageSize: q.pageSize, total, items };
    } catch (e) {
      if (e instanceof MongoError)
        throw new ServiceUnavailableException('MongoDB is unavailable; try again later');
      throw e;
    }
  }
}
