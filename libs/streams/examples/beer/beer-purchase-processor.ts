import { type Processor, type ProcessorContext, type Record } from '../../src';
import { type BeerPurchase, toDollars } from './beer-purchase';

/**
 * The seed's `BeerPurchaseProcessor`: a sale in dollars goes on unchanged to the domestic child
 * node; any other sale is converted to dollars (amount and currency) and goes to the international
 * child node, chosen by name with `context.forward(record, childName)`.
 */
export class BeerPurchaseProcessor implements Processor<string, BeerPurchase, string, BeerPurchase> {
  private context!: ProcessorContext<string, BeerPurchase>;

  constructor(
    private readonly domesticSalesNode: string,
    private readonly internationalSalesNode: string,
  ) {}

  init(context: ProcessorContext<string, BeerPurchase>): void {
    this.context = context;
  }

  process(record: Record<string, BeerPurchase>): void {
    const purchase = record.value;
    if (purchase.currency !== 'DOLLARS') {
      const dollars: BeerPurchase = {
        ...purchase,
        currency: 'DOLLARS',
        totalSale: toDollars(purchase.currency, purchase.totalSale),
      };
      this.context.forward(record.withValue(dollars), this.internationalSalesNode);
    } else {
      this.context.forward(record, this.domesticSalesNode);
    }
  }
}
