import type { CheckoutStrings } from './en';

/** The checkout page in Spanish (chosen by Accept-Language: strings/index.ts). */
export const es: CheckoutStrings = {
  lang: 'es',
  title: 'Pagar a {{merchantName}}',
  payTo: 'Pago a',
  amount: 'Importe',
  price: 'Precio',
  order: 'Pedido',
  invoice: 'Factura',
  address: 'Dirección de depósito',
  copy: 'Copiar dirección',
  copied: 'Dirección copiada',
  openWallet: 'Abrir en el monedero',
  qr: 'Código QR de la solicitud de pago: escanéalo con un monedero',
  expiresAt: 'Caduca a las {{expiresAt}} (UTC)',
  expiresIn: 'Caduca en',
  notFoundTitle: 'Factura no encontrada',
  notFoundText: 'No hay ninguna factura en esta dirección. Revisa el enlace que te dio el comercio.',
  states: {
    waiting: { heading: 'Esperando tu pago', text: 'Envía exactamente {{amountDue}} a la dirección de abajo.' },
    partial: {
      heading: 'Ha llegado parte de tu pago',
      text: 'Recibido: {{amountPaid}}. Envía los {{amountDue}} restantes a la misma dirección.',
    },
    confirming: {
      heading: 'Pago recibido: confirmando',
      text: '{{confirmations.count}} de {{confirmations.required}} confirmaciones. Puedes cerrar esta página.',
    },
    settled: { heading: '¡Pagado! Gracias', text: '{{merchantName}} ha recibido {{amountPaid}}.' },
    expired: {
      heading: 'Esta factura ha caducado',
      text: 'No envíes pagos a ella. Pide a {{merchantName}} una factura nueva.',
    },
    'paid-late': {
      heading: 'Tu pago llegó después de que caducara la factura',
      text: 'Recibido: {{amountPaid}}. {{merchantName}} se pondrá en contacto contigo sobre tu pedido.',
    },
    invalid: {
      heading: 'No se pudo confirmar el pago',
      text: 'Ponte en contacto con {{merchantName}} sobre esta factura.',
    },
  },
  partialNote: 'Llegaron {{amountPaid}} antes de caducar: habla con {{merchantName}}.',
  returnToMerchant: 'Volver a {{merchantName}}',
  noScript: 'Esta página se actualiza sola con JavaScript; recárgala para ver el estado más reciente.',
};
